namespace Berth.Bench;

/// <summary>The benchmarks' image: a rootfs of Debian's busybox-static, as a tar for `docker import`.</summary>
internal static class BusyboxImage
{
    public const string Name = "berthbench:latest";

    /// <summary>Builds (once per directory) the image's tar and returns its path.</summary>
    public static string BuildTar(string dir)
    {
        string tar = Path.Combine(dir, "busybox.tar");
        if (File.Exists(tar))
        {
            return tar;
        }

        string rootfs = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"), overwrite: true);
        foreach (string applet in Exec.TryRun("/bin/busybox", "--list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(a => a != "busybox"))
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        Exec.Run("tar", "-C", rootfs, "-cf", tar, ".");
        return tar;
    }

    /// <summary>Imports the image into the daemon <paramref name="docker"/> talks to.</summary>
    public static void Import(DockerCli docker, string dir) =>
        docker.Run("import", "-c", "CMD [\"sh\"]", BuildTar(dir), Name).Check();
}
