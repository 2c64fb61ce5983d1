namespace CxrQa.Core.Io;

/// <summary>
/// Files that may hold patient data (stored films, their overlays, DICOM temporaries for gdcmconv) are created readable
/// by the service's own user only: folders 0700, files 0600, set at creation (no window in which another local user
/// could open them) whatever the process umask. Elsewhere than Unix the platform's defaults apply.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and missing parents) 0700; an existing folder is narrowed to 0700 too, since it
    /// will receive private files.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(path);
        var existed = Directory.Exists(path);
        var folder = Directory.CreateDirectory(path, FolderMode);
        if (existed && (File.GetUnixFileMode(path) & ~FolderMode) != 0)
            File.SetUnixFileMode(path, FolderMode);
        return folder;
    }

    /// <summary>Options for a new file (it must not exist yet), created 0600.</summary>
    public static FileStreamOptions NewFile(bool asynchronous = false)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 64 * 1024,
            Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = FileMode;
        return options;
    }
}
