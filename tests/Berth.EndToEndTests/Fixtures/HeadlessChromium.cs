using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Debian's <c>chromium</c>, headless, on a local file only: run inside a lab host's namespace (no way out of the
/// lab) with its background networking, sync, extensions and component updates off, a private profile under the
/// test's root, and a time limit after which it is killed. As root it needs <c>--no-sandbox</c>.
/// </summary>
public sealed class HeadlessChromium(LabHost host, string profile)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static bool Installed => Cmd.Exists("chromium");

    /// <summary>Screenshots <paramref name="file"/> into <paramref name="png"/> at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public CmdResult Screenshot(string file, string png, int width, int height) =>
        Run($"--screenshot={png}", $"--window-size={width},{height}", new Uri(file).AbsoluteUri);

    /// <summary>The DOM after the page loaded, as HTML.</summary>
    public string DumpDom(string file)
    {
        var result = Run("--dump-dom", new Uri(file).AbsoluteUri);
        return result.Succeeded ? result.Output : throw new InvalidOperationException("chromium --dump-dom failed: " + result);
    }

    /// <summary>The processes still running with this profile (none once every run ended: the test checks).</summary>
    public IReadOnlyList<int> Leftovers()
    {
        var pids = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains("--user-data-dir=" + profile, StringComparison.Ordinal))
                    {
                        pids.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // gone meanwhile
                }
                catch (UnauthorizedAccessException)
                {
                    // not ours to read
                }
            }
        }

        return pids;
    }

    private CmdResult Run(params string[] args) => Cmd.RunWithTimeout(Limit, "ip",
    [
        "netns", "exec", host.NetnsName, "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--no-first-run", "--disable-sync", "--disable-extensions", "--disable-component-update",
        "--user-data-dir=" + profile, .. args,
    ]);
}
