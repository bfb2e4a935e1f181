namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Where the built programs are: the directory in <c>BERTH_TEST_BIN_DIR</c> when set (<c>./test.sh</c> publishes the
/// native binaries users run into its run directory and sets it there), else next to this test assembly's build, in
/// the same configuration (a test run by hand sees the code it was built with).
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The directory of berthd and berth to test, when not the JIT build's.</summary>
    public static string? NativeDirectory { get; } = Environment.GetEnvironmentVariable("BERTH_TEST_BIN_DIR") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;

    /// <summary>Debug or Release, whichever built these tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Berthd => NativeDirectory is { } dir ? Path.Combine(dir, "berthd") : Path.Combine(Root, "src/Berth.Daemon/bin", Configuration, "net10.0/berthd");

    /// <summary>The berth CLI as built with these tests (not a possibly stale out/berth), or the native one of <see cref="NativeDirectory"/>.</summary>
    public static string Berth => NativeDirectory is { } dir ? Path.Combine(dir, "berth") : Path.Combine(Root, "src/Berth.Cli/bin", Configuration, "net10.0/berth");

    /// <summary>berthd and berth side by side: <see cref="NativeDirectory"/>, else this test assembly's own directory, as built with these tests.</summary>
    public static string BinDirectory => NativeDirectory ?? AppContext.BaseDirectory;

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
