using CxrQa.Core.Data;
using CxrQa.Core.Dicom;
using CxrQa.Core.Explain;
using CxrQa.Core.Imaging;
using CxrQa.Core.Model;
using CxrQa.Tests.Support;

namespace CxrQa.Tests.Explain;

public class DeletionTestTests
{
    private const int Side = 224;
    private const int Cell = Side / CamResult.Side;

    /// <summary>
    /// A toy network whose evidence is the brightness of the top-left 2x2 cells: channel 0 of the feature map is a
    /// cell's mean level there (zero elsewhere) and the head weighs only channel 0, so the logit is the pooled
    /// channel and Grad-CAM points exactly at those cells.
    /// </summary>
    private static ModelOutputs ToyNetwork(float[] batch, int count)
    {
        var plane = Side * Side;
        var logits = new float[count];
        var maps = new float[count * ModelOutputs.FeatureMapSize];
        for (var n = 0; n < count; n++)
        {
            var input = batch.AsSpan(n * 3 * plane, plane);
            double pooled = 0;
            for (var cy = 0; cy < 2; cy++)
                for (var cx = 0; cx < 2; cx++)
                {
                    double sum = 0;
                    for (var y = cy * Cell; y < (cy + 1) * Cell; y++)
                        for (var x = cx * Cell; x < (cx + 1) * Cell; x++)
                            sum += input[y * Side + x];
                    var level = (float)(sum / (Cell * Cell) / 255);
                    maps[n * ModelOutputs.FeatureMapSize + cy * CamResult.Side + cx] = level;
                    pooled += level;
                }
            logits[n] = (float)(pooled / CamResult.CellCount);
        }
        return new ModelOutputs(count, logits, new float[count * ModelOutputs.EmbeddingSize], maps);
    }

    private static float[] ToyFilm(int seed)
    {
        var random = new Random(seed);
        var input = new float[3 * Side * Side];
        for (var i = 0; i < Side * Side; i++)
        {
            var (x, y) = (i % Side, i / Side);
            var v = x < 2 * Cell && y < 2 * Cell ? 200 + 50 * random.NextDouble() : 60 * random.NextDouble();
            input[i] = input[i + Side * Side] = input[i + 2 * Side * Side] = (float)v;
        }
        return input;
    }

    [Fact]
    public void On_a_toy_network_the_map_guided_deletion_drops_the_logit_more_than_random_blocks()
    {
        var head = new float[ModelOutputs.EmbeddingSize];
        head[0] = 1;
        var films = Enumerable.Range(0, 4).Select(ToyFilm).ToList();
        var result = DeletionTest.Run(ToyNetwork, head, Side, films);

        Assert.Equal(4, result.Films);
        Assert.Equal(0, result.SkippedEmptyMap);
        Assert.Equal([0.05, 0.10, 0.20, 0.30, 0.50], result.Levels.Select(l => l.Fraction));
        foreach (var level in result.Levels)
        {
            Assert.True(level.GuidedDrop > level.RandomDrop, $"{level}");
            Assert.Equal(1.0, level.GuidedWins);
        }
        // The evidence region is 4/49 of the film: deleting 10 % or more covers it, leaving it at the film's mean level.
        Assert.True(result.At(0.2).GuidedDrop > 0.5 * result.MeanBaseLogit);
        Assert.Equal(result.Levels, DeletionTest.Run(ToyNetwork, head, Side, films).Levels); // seeded: same numbers again
    }

    [Fact]
    public void A_film_with_no_pneumonia_evidence_is_skipped_not_averaged()
    {
        var head = new float[ModelOutputs.EmbeddingSize];
        head[0] = -1; // the map of "pneumonia" is empty: every cell argues against it
        var result = DeletionTest.Run(ToyNetwork, head, Side, [ToyFilm(1)]);
        Assert.Equal(0, result.Films);
        Assert.Equal(1, result.SkippedEmptyMap);
    }

    /// <summary>
    /// The real check: on pneumonia films of the validation folder, blanking the 20 % of pixels the shipped model's
    /// Grad-CAM ranks highest must lower its pneumonia logit more than blanking 20 % in random blocks.
    /// </summary>
    [Fact]
    public async Task On_real_pneumonia_films_the_shipped_map_beats_random_deletion_at_20_percent()
    {
        using var model = ModelBundle.Load(ModelLocator.Resolve(null), new ModelRuntimeOptions { IntraOpThreads = 2 });
        var dataset = await LabelledFolderDataset.Scan(TestData.Path("kermany-224", "val"), CancellationToken.None);
        var films = dataset.Images.Where(i => i.Label == BinaryLabel.Pneumonia).Take(8).ToList();
        Assert.Equal(8, films.Count);
        var decoder = new FilmDecoder(new DicomFilmReader(new DicomReaderOptions()));
        var card = model.Card.Preprocessing;
        var preprocessor = new FilmPreprocessor(new PreprocessingOptions
        {
            InputSize = card.InputSize, Clahe = card.Clahe, ClaheClipLimit = card.ClaheClipLimit, ClaheTiles = card.ClaheTiles,
        });
        var inputs = films.Select(f => preprocessor.Preprocess(decoder.Decode(File.ReadAllBytes(f.Path), DecodeLimits.Default).Image)).ToList();

        var result = DeletionTest.Run(model, inputs);

        var at20 = result.At(0.20);
        Assert.Equal(8, result.Films);
        Assert.True(at20.GuidedDrop > at20.RandomDrop, $"guided {at20.GuidedDrop:0.000} vs random {at20.RandomDrop:0.000}");
    }
}
