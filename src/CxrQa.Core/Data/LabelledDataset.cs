namespace CxrQa.Core.Data;

/// <summary>A scanned, deduplicated labelled dataset and the account of what the scan left out.</summary>
/// <param name="Root">The folder that holds the class folders.</param>
/// <param name="Images">Unique images sorted by relative path.</param>
/// <param name="FilesSeen">Every regular file found under the class folders.</param>
/// <param name="NonImagesSkipped">Files whose bytes are not JPEG, PNG or DICOM.</param>
/// <param name="Deduplication">Copies dropped by content hash.</param>
/// <param name="Manifest">See <see cref="DatasetManifest"/>.</param>
/// <param name="ManifestSha256">SHA-256 of <paramref name="Manifest"/>.</param>
public sealed record LabelledDataset(
    string Root,
    IReadOnlyList<LabelledImage> Images,
    int FilesSeen,
    int NonImagesSkipped,
    DeduplicationResult Deduplication,
    string Manifest,
    string ManifestSha256)
{
    public int Count => Images.Count;

    public int CountOf(int label) => Images.Count(i => i.Label == label);

    public int PatientCount => Images.Select(i => i.PatientId).Distinct(StringComparer.Ordinal).Count();

    public int[] Labels() => Images.Select(i => i.Label).ToArray();

    public string[] PatientIds() => Images.Select(i => i.PatientId).ToArray();
}
