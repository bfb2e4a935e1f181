namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// Runs oracle commands (ip, ping) inside any namespace by its file, including the ones Berth's
/// manager keeps outside /run/netns, through <c>nsenter --net=FILE</c>.
/// </summary>
public static class InNetns
{
    public static CmdResult Run(string netnsPath, params string[] args) => Cmd.Run("nsenter", [$"--net={netnsPath}", .. args]);

    public static string Ip(string netnsPath, params string[] args) => Cmd.Check("nsenter", [$"--net={netnsPath}", "ip", .. args]);

    /// <summary>One echo request with a one-second wait.</summary>
    public static bool Ping(string netnsPath, string address) =>
        Run(netnsPath, "ping", "-n", "-c1", "-W1", address).Succeeded;

    /// <summary>Pings until a reply arrives or the timeout passes (links need a moment to come up).</summary>
    public static bool PingWithin(string netnsPath, string address, TimeSpan timeout) =>
        Poll.Until(() => Ping(netnsPath, address), timeout);
}
