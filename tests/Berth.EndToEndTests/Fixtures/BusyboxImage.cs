using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>A test image made at test time from Debian's busybox-static: a rootfs tar with every applet linked.</summary>
public static class BusyboxImage
{
    public static string BuildTar(string directory)
    {
        if (!File.Exists("/bin/busybox"))
        {
            Cmd.Check("apt-get", "install", "-y", "-qq", "busybox-static");
        }

        string rootfs = Path.Combine(directory, "busybox-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"), overwrite: true);
        foreach (string applet in Cmd.Check("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string link = Path.Combine(rootfs, "bin", applet);
            if (applet != "busybox" && !File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        string tar = Path.Combine(directory, "busybox.tar");
        Cmd.Check("tar", "-C", rootfs, "-cf", tar, ".");
        return tar;
    }

    /// <summary>Imports the image into the daemon as <c>bb:latest</c> with the real docker CLI.</summary>
    public static void Import(Berthd daemon, string directory) =>
        daemon.DockerChecked("import", "-c", "CMD [\"sh\"]", BuildTar(directory), "bb:latest");
}
