using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// `ping NAME` as a container does it, done by this process inside the container's network namespace: the
/// container's resolver (127.0.0.11, <see cref="DnsLoadGenerator.AskUntilKnown"/>) asked every 2 ms until it knows the
/// name, then an echo request every 2 ms (<see cref="IcmpProbe"/>) until the address answers. No process is started
/// per attempt (docker exec costs ~100 ms, a loop of busybox ping waits whole seconds), so the resolution is ~2 ms;
/// the container itself runs only sleep.
/// </summary>
internal sealed class NameProbe : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly string _netnsPath;
    private readonly IcmpProbe _icmp;

    /// <summary>A probe in the namespace at <paramref name="netnsPath"/> (e.g. /proc/PID/ns/net of the container's process).</summary>
    public NameProbe(string netnsPath)
    {
        _netnsPath = netnsPath;
        _icmp = IcmpProbe.Open(netnsPath);
    }

    /// <summary>The resolver's socket for <paramref name="name"/>, opened before a measurement's clock starts (a namespace switch is not what is measured).</summary>
    public DnsLoadGenerator Prepare(string name) => DnsLoadGenerator.Open(_netnsPath, name);

    /// <summary>Until the name of <paramref name="resolver"/> resolves and its address answers a ping; throws after <paramref name="timeout"/>.</summary>
    public NameAnswer Wait(DnsLoadGenerator resolver, string name, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var clock = Stopwatch.StartNew();
        var address = resolver.AskUntilKnown(Interval, timeout)
            ?? throw new TimeoutException($"{name} did not resolve within {timeout.TotalSeconds:0} s");
        double resolved = clock.Elapsed.TotalMilliseconds;
        return _icmp.WaitForReply(address, timeout - clock.Elapsed)
            ? new NameAnswer(address, resolved, clock.Elapsed.TotalMilliseconds)
            : throw new TimeoutException($"{name} ({address}) resolved but did not answer ping within {timeout.TotalSeconds:0} s");
    }

    public void Dispose() => _icmp.Dispose();
}
