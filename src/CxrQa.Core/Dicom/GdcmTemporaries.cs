using CxrQa.Core.Io;

namespace CxrQa.Core.Dicom;

/// <summary>
/// Where gdcmconv's temporaries live: the film being decompressed and its decompressed copy, both full DICOM files
/// with the patient's header. They go to a private folder (0700, files 0600): the configured one
/// (<see cref="DicomReaderOptions.TemporaryDirectory"/>; the server's is under its data directory), or else a fresh
/// private folder under the system temp path per conversion. A process killed during a conversion leaves its files
/// behind; the server removes them at its next start (<see cref="RemoveLeftovers"/>).
/// </summary>
public static class GdcmTemporaries
{
    public const string FilePrefix = "cxrqa-gdcm-";

    /// <summary>A folder for one conversion and whether it is the conversion's own (to be removed after it).</summary>
    internal static (string Path, bool Owned) FolderFor(string? configured) => configured is null
        ? (Directory.CreateTempSubdirectory(FilePrefix).FullName, true) // mkdtemp: 0700
        : (PrivateFiles.CreateFolder(configured).FullName, false);

    /// <summary>Removes the files in <paramref name="folder"/> last written before now minus <paramref name="grace"/>
    /// (a replica sharing the folder may be converting right now; a conversion lasts at most the decoder timeout).
    /// Creates the folder 0700 when missing. Returns how many files were removed.</summary>
    public static int RemoveLeftovers(string folder, TimeSpan grace)
    {
        PrivateFiles.CreateFolder(folder);
        var cutoff = DateTime.UtcNow - grace;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (File.GetLastWriteTimeUtc(file) > cutoff)
                continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another replica removed it first, or it is not ours to remove: nothing to do at start-up.
            }
        }
        return removed;
    }
}
