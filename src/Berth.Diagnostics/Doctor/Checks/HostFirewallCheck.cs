using Berth.Network.Firewall;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// Berth's firewall on the host: its own nftables tables there and of the shape berthd makes, each bridge network's
/// rules in them, and Berth's accept rules at the top of every other tool's forward chain that would drop its traffic
/// (iptables' <c>FORWARD</c> with policy drop, Docker's, firewalld's). berthd re-creates all of it at start.
/// </summary>
public sealed class HostFirewallCheck : IDoctorCheck
{
    private const string TablesCheck = "host firewall tables";
    private const string RulesCheck = "host firewall rules";
    private const string ForeignCheck = "host forward chains";

    /// <summary>
    /// berthd re-adds its accept rules within its 2 s check after another tool reloads its rules: a chain found without
    /// them is looked at again after this long, so a reload caught in passing is not reported.
    /// </summary>
    private static readonly TimeSpan ForeignRecheckDelay = TimeSpan.FromSeconds(3);

    public string Area => "host";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        if (sources.Firewall is not { } firewall)
        {
            return [];
        }

        var health = firewall.Inspect();
        if (!health.Enabled)
        {
            return scope.IsEverything ? [DoctorFinding.Ok(TablesCheck, "host", "berthd runs with --firewall none: Berth makes no rules; masquerade, isolation and published ports are the administrator's")] : [];
        }

        var findings = new List<DoctorFinding>();
        if (scope.IsEverything)
        {
            if (health.ForeignChains.Any(c => !c.MissingFor.IsEmpty))
            {
                await Task.Delay(ForeignRecheckDelay, cancellationToken).ConfigureAwait(false);
                health = firewall.Inspect();
            }

            findings.AddRange(HostFindings(health));
        }

        if (health.MissingTables.IsEmpty)
        {
            findings.AddRange(await NetworkFindingsAsync(sources, firewall, scope, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    /// <summary>Berth's tables and other tools' forward chains, from what the kernel has.</summary>
    public static IReadOnlyList<DoctorFinding> HostFindings(FirewallHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var findings = new List<DoctorFinding>();
        foreach (string table in health.MissingTables)
        {
            findings.Add(DoctorFinding.Problem(TablesCheck, table,
                $"Berth's table {table} is missing: bridge networks lose masquerade, isolation and their published ports", DoctorFixes.RestartBerthd));
        }

        foreach (string table in health.ChangedTables)
        {
            findings.Add(DoctorFinding.Problem(TablesCheck, table,
                $"Berth's table {table} was changed by someone else: its sets, chains or rules are not those berthd makes", DoctorFixes.RestartBerthd));
        }

        if (health.MissingTables.IsEmpty && health.ChangedTables.IsEmpty)
        {
            findings.Add(DoctorFinding.Ok(TablesCheck, "host", "Berth's tables inet berth and bridge berth are in place, as berthd makes them"));
        }

        foreach (var chain in health.ForeignChains.Where(c => c.CanDrop))
        {
            string what = chain.Policy == "drop" ? $"{chain.Chain} (policy drop)" : $"{chain.Chain} (it has rules that drop)";
            findings.Add(chain.MissingFor.IsEmpty
                ? DoctorFinding.Ok(ForeignCheck, chain.Chain, $"Berth's accept rules are in place in {what}")
                : DoctorFinding.Problem(ForeignCheck, chain.Chain,
                    $"{what} lacks Berth's accept rules for {string.Join(", ", chain.MissingFor)}: their networks' forwarded traffic is dropped there",
                    DoctorFixes.RestartBerthd));
        }

        return findings;
    }

    private static async Task<IEnumerable<DoctorFinding>> NetworkFindingsAsync(DiagnosticSources sources, INetworkFirewall firewall, DoctorScope scope, CancellationToken cancellationToken)
    {
        var networks = await ScopedContainers.NetworksAsync(sources, scope, cancellationToken).ConfigureAwait(false);
        var findings = new List<DoctorFinding>();
        var healthy = new List<string>();
        foreach (var network in networks.Where(n => sources.Drivers.CapabilitiesOf(n).ConnectsContainers))
        {
            if (sources.Drivers.Of(network).FirewallRules(network) is not { } rules)
            {
                continue;
            }

            if (firewall.HasBridge(rules))
            {
                healthy.Add(network.Name);
            }
            else
            {
                findings.Add(DoctorFinding.Problem(RulesCheck, network.Name,
                    $"{network.Name}'s rules (bridge {rules.Bridge}) are missing from Berth's tables: its masquerade, isolation and published ports do not work", DoctorFixes.RestartBerthd));
            }
        }

        if (healthy.Count > 0)
        {
            findings.Add(DoctorFinding.Ok(RulesCheck, string.Join(", ", healthy.Order(StringComparer.Ordinal)), "every rule of these networks is in Berth's tables"));
        }

        return findings;
    }
}
