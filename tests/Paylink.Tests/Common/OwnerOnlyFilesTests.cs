using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class OwnerOnlyFilesTests
{
    [Fact]
    public void DirectoryAndDatabase_CreatedOrTightened_ToOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var root = Path.Combine(Path.GetTempPath(), "paylink-perm-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keys = Path.Combine(root, "keys");
            Directory.CreateDirectory(keys);
            File.SetUnixFileMode(keys, (UnixFileMode)0b111_101_101);               // 0755, as older installs left it
            File.WriteAllText(Path.Combine(keys, "key-1.xml"), "<key/>");
            File.SetUnixFileMode(Path.Combine(keys, "key-1.xml"), (UnixFileMode)0b110_100_100);   // 0644

            OwnerOnlyFiles.Directory(root);
            OwnerOnlyFiles.Directory(keys);
            OwnerOnlyFiles.File(Path.Combine(root, "paylink.db"));

            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(root));
            Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(keys));
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(keys, "key-1.xml")));
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(root, "paylink.db")));
            Assert.Equal(0, new FileInfo(Path.Combine(root, "paylink.db")).Length);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
