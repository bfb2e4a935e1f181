namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A swarm service seen the way its clients see it: who answers connections through a name (each task of the tests'
/// services answers its hostname, its container's short id), which addresses a name resolves to, which task containers run.
/// </summary>
public static class ServiceProbes
{
    /// <summary>Who answered <paramref name="count"/> connections from <paramref name="container"/> to <paramref name="name"/>:<paramref name="port"/> (one shell, one exec).</summary>
    public static HashSet<string> Answering(Berthd daemon, string container, string name, int count, int port = 8080)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var result = daemon.Docker("exec", container, "sh", "-c", $"for i in $(seq {count}); do nc -w 2 {name} {port}; done");
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>The addresses <c>nslookup</c> in a container gives for a name (the resolver's own address left out); empty while it cannot resolve it: for polls.</summary>
    public static List<string> Addresses(Berthd daemon, string container, string name)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var result = daemon.Docker("exec", container, "nslookup", name);
        if (!result.Succeeded)
        {
            return [];
        }

        var lines = result.Output.Split('\n');
        int answers = Array.FindIndex(lines, line => line.StartsWith("Name:", StringComparison.Ordinal));
        return answers < 0 ? [] : [.. lines.Skip(answers).Where(line => line.StartsWith("Address", StringComparison.Ordinal)).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];
    }

    /// <summary>The short ids of <paramref name="service"/>'s running task containers on every node.</summary>
    public static HashSet<string> TaskContainerIds(IEnumerable<Berthd> nodes, string service) =>
        [.. nodes.SelectMany(node => node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))];
}
