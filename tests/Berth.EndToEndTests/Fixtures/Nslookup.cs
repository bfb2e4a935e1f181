using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>busybox's <c>nslookup</c> inside a container: it asks the resolv.conf server (127.0.0.11 on user-defined networks) over UDP.</summary>
public static class Nslookup
{
    /// <summary><c>nslookup -type=a NAME</c> inside <paramref name="container"/>.</summary>
    public static CmdResult Lookup(Berthd daemon, string container, string name) =>
        daemon.Docker("exec", container, "nslookup", "-type=a", name);

    /// <summary>The A addresses nslookup printed for <paramref name="name"/>, sorted; fails when the lookup failed.</summary>
    public static string[] Addresses(Berthd daemon, string container, string name)
    {
        var result = Lookup(daemon, container, name);
        Assert.True(result.Succeeded, $"{container} cannot resolve {name}:\n{result}\n--- berthd log ---\n{daemon.Log}");
        return Answers(result);
    }

    /// <summary>The A addresses nslookup printed for <paramref name="name"/>, sorted; none when the lookup failed (for polls).</summary>
    public static string[] AddressesOrNone(Berthd daemon, string container, string name) =>
        Lookup(daemon, container, name) is { Succeeded: true } result ? Answers(result) : [];

    private static string[] Answers(CmdResult result)
    {
        string answers = result.Output[(result.Output.IndexOf("Name:", StringComparison.Ordinal) is int at and >= 0 ? at : result.Output.Length)..];
        return [.. answers.Split('\n')
            .Where(line => line.StartsWith("Address:", StringComparison.Ordinal))
            .Select(line => line["Address:".Length..].Trim())
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The name is unknown to <paramref name="container"/>: NXDOMAIN (from the test upstream, as nothing in the registry answered).</summary>
    public static void AssertUnknown(Berthd daemon, string container, string name)
    {
        var result = Lookup(daemon, container, name);
        Assert.True((result.Output + result.Error).Contains("NXDOMAIN", StringComparison.Ordinal), $"{container} resolved {name}:\n{result}");
    }
}
