namespace CxrQa.Core.Data;

/// <summary>What deduplication kept and dropped.</summary>
/// <param name="Kept">The surviving images, sorted by relative path (ordinal).</param>
/// <param name="DuplicateGroups">Distinct contents seen under more than one name with one label.</param>
/// <param name="DuplicatesDropped">Extra copies dropped from those groups (a pair drops 1, a triple 2).</param>
/// <param name="ConflictGroups">Distinct contents filed under both labels.</param>
/// <param name="ConflictsDropped">Files dropped because their content carries both labels (all copies go).</param>
public sealed record DeduplicationResult(
    IReadOnlyList<LabelledImage> Kept,
    int DuplicateGroups,
    int DuplicatesDropped,
    int ConflictGroups,
    int ConflictsDropped);

/// <summary>
/// Removes byte-identical copies before any split: a copy on each side of a split would leak the answer into
/// validation. Copies that disagree on the label cannot both be right, so none of them is trusted.
/// </summary>
public static class ContentDeduplicator
{
    public static DeduplicationResult Deduplicate(IEnumerable<LabelledImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var kept = new List<LabelledImage>();
        int duplicateGroups = 0, duplicatesDropped = 0, conflictGroups = 0, conflictsDropped = 0;

        // Sorting by path first makes "keep the first" independent of the order the files were found in.
        var byContent = images
            .OrderBy(i => i.RelativePath, StringComparer.Ordinal)
            .GroupBy(i => i.Sha256, StringComparer.OrdinalIgnoreCase);
        foreach (var group in byContent)
        {
            var copies = group.ToList();
            if (copies.Count == 1)
            {
                kept.Add(copies[0]);
                continue;
            }
            if (copies.Any(c => c.Label != copies[0].Label))
            {
                conflictGroups++;
                conflictsDropped += copies.Count;
                continue;
            }
            duplicateGroups++;
            duplicatesDropped += copies.Count - 1;
            kept.Add(copies[0]);
        }

        kept.Sort((a, b) => StringComparer.Ordinal.Compare(a.RelativePath, b.RelativePath));
        return new DeduplicationResult(kept, duplicateGroups, duplicatesDropped, conflictGroups, conflictsDropped);
    }
}
