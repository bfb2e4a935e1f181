namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// berthd's threads and their network namespaces: a thread left in a container's namespace keeps that namespace (and
/// its veth on the bridge) alive after the container is removed.
/// </summary>
public static class DaemonThreads
{
    /// <summary>"name net:[inode]" of every thread of berthd that is not in berthd's own network namespace.</summary>
    public static IReadOnlyList<string> OutsideItsNamespace(Berthd daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        string own = Netns($"/proc/{daemon.Pid}");
        var foreign = new List<string>();
        foreach (string task in Directory.GetDirectories($"/proc/{daemon.Pid}/task"))
        {
            try
            {
                string netns = Netns(task);
                if (netns != own)
                {
                    foreign.Add($"{File.ReadAllText(Path.Combine(task, "comm")).Trim()} {netns}");
                }
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }

        return foreign;
    }

    private static string Netns(string process) => new FileInfo(Path.Combine(process, "ns", "net")).LinkTarget ?? "?";
}
