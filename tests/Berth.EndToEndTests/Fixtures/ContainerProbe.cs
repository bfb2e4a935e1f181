using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Traffic from inside containers with busybox (<c>docker exec … ping</c> / <c>nc</c>), short timeouts so a drop
/// is judged in about a second, and the drop counters of Berth's firewall rules as the kernel reports them.
/// </summary>
public static partial class ContainerProbe
{
    /// <summary>The port <see cref="ListenCommand"/> answers on.</summary>
    public const int EchoPort = 8080;

    /// <summary>What a container started with <see cref="ListenCommand"/> says to every connection.</summary>
    public const string EchoReply = "pong";

    /// <summary>A container command answering <see cref="EchoReply"/> on TCP <see cref="EchoPort"/>, connection after connection.</summary>
    public static readonly string[] ListenCommand = ["nc", "-ll", "-p", "8080", "-e", "echo", EchoReply];

    /// <summary>One echo request from <paramref name="container"/>, one second to answer.</summary>
    public static bool Pings(Berthd daemon, string container, string address) =>
        daemon.Docker("exec", container, "ping", "-c1", "-W1", address).ExitCode == 0;

    /// <summary>
    /// A TCP connection from <paramref name="container"/> to <paramref name="address"/>:<see cref="EchoPort"/> with a
    /// two-second connect timeout: what the listener said, or null when no connection was made.
    /// </summary>
    public static string? Talk(Berthd daemon, string container, string address)
    {
        var result = daemon.Docker("exec", container, "nc", "-w", "2", address, EchoPort.ToString(CultureInfo.InvariantCulture));
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>Whether <paramref name="container"/> gets <see cref="EchoReply"/> from <paramref name="address"/> within a few seconds (listeners need a moment to start).</summary>
    public static bool TalksWithin(Berthd daemon, string container, string address) =>
        Poll.Until(() => Talk(daemon, container, address) == EchoReply, TimeSpan.FromSeconds(10));

    /// <summary>The same TCP probe as <see cref="Talk"/>, from a lab host (busybox on the machine).</summary>
    public static string? Talk(LabHost host, string address)
    {
        var result = host.Exec("busybox", "nc", "-w", "2", address, EchoPort.ToString(CultureInfo.InvariantCulture));
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>
    /// Packets counted by the rule of Berth's table <c>FAMILY berth</c> whose comment contains <paramref name="rule"/>,
    /// in <paramref name="host"/> (the kernel's own listing through <c>nft</c>).
    /// </summary>
    public static long Drops(LabHost host, string family, string rule)
    {
        string listing = Cmd.Check("ip", "netns", "exec", host.NetnsName, "nft", "list", "table", family, "berth");
        foreach (string line in listing.Split('\n'))
        {
            if (line.Contains("comment \"berth: " + rule, StringComparison.Ordinal) && PacketCount().Match(line) is { Success: true } match)
            {
                return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no counted rule \"{rule}\" in table {family} berth:\n{listing}");
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex PacketCount();
}
