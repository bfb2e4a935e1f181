namespace Berth.EndToEndTests.Fixtures;

/// <summary>Where the built programs are: next to this test assembly's build, in the same configuration.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, whichever built these tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Berthd => Path.Combine(Root, "src/Berth.Daemon/bin", Configuration, "net10.0/berthd");

    /// <summary>The berth CLI as built with these tests (not a possibly stale out/berth).</summary>
    public static string Berth => Path.Combine(Root, "src/Berth.Cli/bin", Configuration, "net10.0/berth");

    /// <summary>This test assembly's own directory: berthd and berth side by side, as built with these tests.</summary>
    public static string BinDirectory => AppContext.BaseDirectory;

    public const string DockerCli = "/usr/local/bin/docker";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Berth.slnx) above " + AppContext.BaseDirectory);
    }
}
