using Berth.Core.Errors;
using Berth.Network.Firewall;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// br_netfilter: with it loaded and <c>net.bridge.bridge-nf-call-iptables</c> = 1, frames between two containers of
/// one bridge also pass the ip-family forward hook, so another tool's forward chain that drops (iptables' FORWARD
/// policy DROP) would cut a network off from itself, unless Berth's accept rules for its bridge are at the top of it.
/// </summary>
public sealed class BridgeNetfilterCheck : IDoctorCheck
{
    private const string Check = "host br_netfilter";
    private const string CallIptables = "net.bridge.bridge-nf-call-iptables";

    public string Area => "host";

    public Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsEverything)
        {
            return Task.FromResult<IReadOnlyList<DoctorFinding>>([]);
        }

        string? value;
        try
        {
            value = sources.Host.Sysctls.Read(CallIptables).Trim();
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            value = null;
        }

        var health = sources.Firewall?.Inspect() ?? FirewallHealth.Disabled;
        return Task.FromResult<IReadOnlyList<DoctorFinding>>([Judge(value, health)]);
    }

    /// <summary>The finding for the sysctl's value (null: br_netfilter is not loaded) and the firewall as it is.</summary>
    public static DoctorFinding Judge(string? callIptables, FirewallHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (callIptables is null)
        {
            return DoctorFinding.Ok(Check, "host", "br_netfilter is not loaded: traffic inside a bridge never passes ip-family chains");
        }

        if (callIptables != "1")
        {
            return DoctorFinding.Ok(Check, "host", $"{CallIptables} = {callIptables}: traffic inside a bridge never passes ip-family chains");
        }

        var dropping = health.ForeignChains.Where(c => c.CanDrop).ToList();
        string passes = $"{CallIptables} = 1: traffic between containers of one bridge also passes other tools' forward chains";
        if (dropping.Count == 0)
        {
            return DoctorFinding.Ok(Check, "host", $"{passes}; none of them drops");
        }

        var uncovered = dropping.Where(c => !c.MissingFor.IsEmpty).ToList();
        return uncovered.Count == 0
            ? DoctorFinding.Ok(Check, "host", $"{passes}; Berth's accept rules let it through {string.Join(", ", dropping.Select(c => c.Chain))}")
            : DoctorFinding.Warning(Check, "host",
                $"{passes}; {string.Join(", ", uncovered.Select(c => c.Chain))} would drop it for {string.Join(", ", uncovered.SelectMany(c => c.MissingFor).Distinct().Order(StringComparer.Ordinal))} (Berth's accept rules are missing)",
                DoctorFixes.RestartBerthd);
    }
}
