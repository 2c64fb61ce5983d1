using CxrQa.Core.Data;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Cli.Reports;

/// <summary>The pneumonia films the deletion test runs on, as network inputs.</summary>
public static class DeletionInputs
{
    /// <summary>
    /// Up to <paramref name="count"/> pneumonia films spread evenly over the folder's (sorted) order: Kermany names
    /// group a patient's films together, so the first N would over-sample a few patients.
    /// </summary>
    public static IReadOnlyList<LabelledImage> Pick(IReadOnlyList<LabelledImage> images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        var pneumonia = images.Where(i => i.Label == BinaryLabel.Pneumonia).ToList();
        if (count <= 0 || pneumonia.Count == 0) return [];
        if (count >= pneumonia.Count) return pneumonia;
        return Enumerable.Range(0, count).Select(j => pneumonia[(int)((long)j * pneumonia.Count / count)]).ToList();
    }

    /// <summary>Decodes and preprocesses each film exactly as serving does; unreadable films are left out.</summary>
    public static async Task<IReadOnlyList<float[]>> LoadAsync(IReadOnlyList<LabelledImage> films, FilmDecoder decoder,
        FilmPreprocessor preprocessor, DecodeLimits limits, CancellationToken ct)
    {
        var inputs = new List<float[]>(films.Count);
        foreach (var film in films)
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(film.Path, ct);
                inputs.Add(preprocessor.Preprocess(decoder.Decode(bytes, limits).Image));
            }
            catch (CxrQaException)
            {
                // Already reported by the screening pass, which read the same file.
            }
        }
        return inputs;
    }
}
