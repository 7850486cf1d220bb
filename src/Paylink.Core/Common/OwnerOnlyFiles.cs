namespace Paylink.Core.Common;

/// <summary>
/// Creates the data directory, the data-protection key directory and the SQLite database readable by the service's
/// own user only (directories 0700, files 0600 on Unix), and tightens them when they already exist: the key ring
/// decrypts every merchant's provider secrets, and the database holds clients' personal data.
/// </summary>
public static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static DirectoryInfo Directory(string path)
    {
        if (OperatingSystem.IsWindows()) return System.IO.Directory.CreateDirectory(path);
        var dir = System.IO.Directory.CreateDirectory(path, OwnerDir);
        System.IO.File.SetUnixFileMode(path, OwnerDir);
        foreach (var file in dir.EnumerateFiles()) file.UnixFileMode = OwnerFile;
        return dir;
    }

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 when missing (SQLite takes an empty file as a new
    /// database, and gives its -wal and -shm files the same mode), or tightens it and its companions.</summary>
    public static void File(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!System.IO.File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile });
            }
            catch (IOException) when (System.IO.File.Exists(path)) { }   // another process created it first
        }
        foreach (var p in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            if (System.IO.File.Exists(p)) System.IO.File.SetUnixFileMode(p, OwnerFile);
    }
}
