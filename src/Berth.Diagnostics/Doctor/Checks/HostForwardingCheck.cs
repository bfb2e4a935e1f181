namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// IP forwarding on the host: without it no bridge or overlay container reaches past its host, and no published port
/// answers from the LAN. berthd turns it on at start; another tool (or a sysctl.conf applied later) may turn it off.
/// </summary>
public sealed class HostForwardingCheck : IDoctorCheck
{
    private const string Check = "host ip forwarding";

    public string Area => "host";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        if (!scope.IsEverything)
        {
            return [];
        }

        var networks = await sources.Networks.ListAsync(cancellationToken).ConfigureAwait(false);
        // Networks whose containers leave through the host: those that publish ports from it and those whose way out is the gateway bridge.
        var routed = networks.Where(n => !n.Config.Internal && (sources.Drivers.CapabilitiesOf(n) is { PublishesPorts: true } or { EgressThroughGatewayBridge: true })).ToList();
        var findings = new List<DoctorFinding>();
        bool v4 = sources.Host.Sysctls.GetIPv4Forwarding();
        findings.Add(v4
            ? DoctorFinding.Ok(Check, "host", "net.ipv4.ip_forward = 1")
            : routed.Count == 0
                ? DoctorFinding.Warning(Check, "host", "net.ipv4.ip_forward = 0: containers on bridge or overlay networks will not reach beyond this host", "sysctl -w net.ipv4.ip_forward=1")
                : DoctorFinding.Problem(Check, "host",
                    $"net.ipv4.ip_forward = 0: {string.Join(", ", routed.Select(n => n.Name).Order(StringComparer.Ordinal))} cannot reach beyond this host and their published ports do not answer from the LAN",
                    "sysctl -w net.ipv4.ip_forward=1"));
        var v6Networks = routed.Where(n => n.Config.EnableIPv6).ToList();
        if (v6Networks.Count > 0 && !sources.Host.Sysctls.GetIPv6Forwarding())
        {
            findings.Add(DoctorFinding.Problem(Check, "host",
                $"net.ipv6.conf.all.forwarding = 0: IPv6 on {string.Join(", ", v6Networks.Select(n => n.Name).Order(StringComparer.Ordinal))} does not reach beyond this host",
                "sysctl -w net.ipv6.conf.all.forwarding=1"));
        }

        return findings;
    }
}
