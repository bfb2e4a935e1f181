using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.Runtime.IntegrationTests.Images;

/// <summary>
/// A minimal rootfs built at test time from Debian's busybox-static: <c>bin/busybox</c> plus a
/// relative symlink per applet, tarred with the system tar (an independent producer).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class BusyboxRootfs
{
    public const string Busybox = "/bin/busybox";

    private static readonly Lock InstallLock = new();

    public static void EnsureInstalled()
    {
        lock (InstallLock)
        {
            if (!File.Exists(Busybox))
            {
                Cmd.RunWithTimeout(TimeSpan.FromMinutes(5), "apt-get", "install", "-y", "busybox-static");
            }

            Assert.True(File.Exists(Busybox), "busybox-static could not be installed (apt-get install -y busybox-static)");
        }
    }

    /// <summary>Builds the rootfs under <paramref name="dir"/> and returns the applets linked.</summary>
    public static IReadOnlyList<string> Build(string dir)
    {
        EnsureInstalled();
        string bin = Path.Join(dir, "bin");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(Path.Join(dir, "tmp"));
        File.SetUnixFileMode(Path.Join(dir, "tmp"), (UnixFileMode)0b1_111_111_111);
        Directory.CreateDirectory(Path.Join(dir, "etc"));
        File.WriteAllText(Path.Join(dir, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.Copy(Busybox, Path.Join(bin, "busybox"));
        File.SetUnixFileMode(Path.Join(bin, "busybox"), (UnixFileMode)0b111_101_101);
        var applets = Cmd.Check(Busybox, "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox").ToList();
        foreach (string applet in applets)
        {
            File.CreateSymbolicLink(Path.Join(bin, applet), "busybox");
        }

        return applets;
    }

    /// <summary>Tars (optionally gzips) a directory's contents with entries named <c>./…</c>.</summary>
    public static void Tar(string dir, string tarPath, bool gzip = false) =>
        Cmd.Check("tar", "--numeric-owner", gzip ? "-czf" : "-cf", tarPath, "-C", dir, ".");
}
