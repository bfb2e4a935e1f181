using System.Net;
using Berth.Core.Networks;
using Berth.Diagnostics.Probes;
using Berth.Linux.Namespaces;
using Berth.Network.Containers;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The guide's "DNS names do not resolve": each running container on a network with the embedded resolver must point its
/// resolv.conf at 127.0.0.11 and resolve the others on that network by name, asked from inside its own namespace;
/// containers sharing a network without the resolver (the default bridge) cannot, which is said with the fix; and the
/// resolver's upstreams must answer, or names outside Berth do not resolve.
/// </summary>
public sealed class DnsCheck : IDoctorCheck
{
    private const string ResolvConfCheck = "dns resolv.conf";
    private const string NamesCheck = "dns names";
    private const string UpstreamCheck = "dns upstream";

    /// <summary>At most this many names are asked from each container per network: enough to see a fault, bounded at 100 containers.</summary>
    private const int NamesPerContainer = 4;

    /// <summary>A name every upstream answers one way or another (RFC 6761 reserves <c>.invalid</c>): any response shows it is reachable.</summary>
    private const string UpstreamProbeName = "berth-doctor.invalid";

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    public string Area => "dns";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var findings = new List<DoctorFinding>();
        var resolving = new Dictionary<string, ContainerRecord>(StringComparer.Ordinal);
        foreach (var network in await ScopedContainers.NetworksAsync(sources, scope, cancellationToken).ConfigureAwait(false))
        {
            var running = ScopedContainers.RunningOn(sources, network.Id);
            if (!ContainerDns.IsUserDefined(network, sources.Drivers))
            {
                findings.AddRange(WithoutResolver(sources, network, running));
                continue;
            }

            foreach (var (container, _) in running.Where(p => scope.Container is null || p.Container.Id == scope.Container.Id))
            {
                resolving.TryAdd(container.Id.Value, container);
            }

            findings.AddRange(await NamesAsync(sources, scope, network, running, cancellationToken).ConfigureAwait(false));
        }

        findings.InsertRange(0, resolving.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(ResolvConfOf));
        if (scope.IsEverything)
        {
            findings.AddRange(await UpstreamsAsync(sources, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    /// <summary>Containers that share a network without the embedded resolver cannot find each other by name (Docker's default bridge).</summary>
    private static IEnumerable<DoctorFinding> WithoutResolver(DiagnosticSources sources, NetworkState network, IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running)
    {
        var capabilities = sources.Drivers.CapabilitiesOf(network);
        if (!capabilities.ConnectsContainers || capabilities.SharesHostNamespace || running.Count < 2)
        {
            yield break;
        }

        var names = running.Select(p => p.Container.Name).ToList();
        string user = network.Name + "-dns";
        yield return DoctorFinding.Warning(NamesCheck, network.Name,
            $"{string.Join(", ", names)} share {network.Name}, which has no embedded DNS (Docker's default bridge has none): they reach each other by address only",
            $"berth network create {user} && " + string.Join(" && ", names.Select(n => $"berth network connect {user} {n}")));
    }

    private static DoctorFinding ResolvConfOf(ContainerRecord container)
    {
        string text;
        try
        {
            text = File.ReadAllText(ScopedContainers.FilePath(container, "/etc/resolv.conf"));
        }
        catch (IOException error)
        {
            return DoctorFinding.Problem(ResolvConfCheck, container.Name, $"/etc/resolv.conf cannot be read: {error.Message}", $"berth restart {container.Name}");
        }
        catch (UnauthorizedAccessException error)
        {
            return DoctorFinding.Problem(ResolvConfCheck, container.Name, $"/etc/resolv.conf cannot be read: {error.Message}", $"berth restart {container.Name}");
        }

        var servers = ResolvConf.Parse(text).Nameservers;
        if (servers.Count > 0 && servers[0].Equals(ResolvConf.EmbeddedResolver))
        {
            return DoctorFinding.Ok(ResolvConfCheck, container.Name, "nameserver 127.0.0.11 (the embedded resolver)");
        }

        string found = servers.Count == 0 ? "no nameserver" : "nameserver " + string.Join(", ", servers);
        return DoctorFinding.Problem(ResolvConfCheck, container.Name,
            $"/etc/resolv.conf has {found}, not 127.0.0.11: names of other containers do not resolve (the file was replaced inside the container or bind-mounted over)",
            $"berth restart {container.Name}  # and drop any -v …:/etc/resolv.conf");
    }

    /// <summary>Each container asks the resolver, from its own namespace, for a few others on the network and must get their address there.</summary>
    private static async Task<IReadOnlyList<DoctorFinding>> NamesAsync(DiagnosticSources sources, DoctorScope scope, NetworkState network,
        IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running, CancellationToken cancellationToken)
    {
        if (running.Count < 2)
        {
            return [];
        }

        var askers = running.Where(p => scope.Container is null || p.Container.Id == scope.Container.Id).ToList();
        var asks = new List<Task<(string From, string Name, IPAddress? Expected, DnsProbeResult Result)>>();
        foreach (var (asker, _) in askers)
        {
            var others = running.Where(p => p.Container.Id != asker.Id).Take(NamesPerContainer);
            asks.AddRange(others.Select(other => AskAsync(sources, asker, other.Container.Name, other.Endpoint.IPv4?.Address, cancellationToken)));
        }

        var answers = await Task.WhenAll(asks).ConfigureAwait(false);
        var wrong = answers.Where(a => !a.Result.Answered || a.Expected is null || !a.Result.Addresses.Contains(a.Expected)).ToList();
        if (wrong.Count == 0)
        {
            return [DoctorFinding.Ok(NamesCheck, network.Name, $"{answers.Length} name{(answers.Length == 1 ? "" : "s")} asked from inside {askers.Count} container{(askers.Count == 1 ? "" : "s")} resolved to the right addresses")];
        }

        return [.. wrong.Select(w => DoctorFinding.Problem(NamesCheck, network.Name,
            $"{w.From} asked 127.0.0.11 for {w.Name}: {w.Result} (expected {w.Expected})",
            w.Result.Answered ? $"berth network disconnect {network.Name} {w.Name} && berth network connect {network.Name} {w.Name}" : $"berth restart {w.From}"))];
    }

    private static async Task<(string From, string Name, IPAddress? Expected, DnsProbeResult Result)> AskAsync(DiagnosticSources sources, ContainerRecord asker,
        string name, IPAddress? expected, CancellationToken cancellationToken)
    {
        DnsProbeResult result;
        try
        {
            using var netns = NetnsHandle.Open(ScopedContainers.NamespacePath(asker));
            result = await DnsProbe.QueryAsync(sources.Runner, netns, DnsServer.ListenEndPoint, name, QueryTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Linux.KernelException error)
        {
            result = new DnsProbeResult(null, $"its namespace cannot be entered: {error.Message}");
        }

        return (asker.Name, name, expected, result);
    }

    private static async Task<IReadOnlyList<DoctorFinding>> UpstreamsAsync(DiagnosticSources sources, CancellationToken cancellationToken)
    {
        if (sources.DnsUpstreams.Count == 0)
        {
            return [DoctorFinding.Warning(UpstreamCheck, "host", "the embedded resolver has no upstream: only container and service names resolve", "berthd --dns IP  # or a nameserver in /etc/resolv.conf")];
        }

        var results = await Task.WhenAll(sources.DnsUpstreams.Select(u => DnsProbe.QueryAsync(sources.Runner, null, u, UpstreamProbeName, QueryTimeout, cancellationToken))).ConfigureAwait(false);
        return [.. sources.DnsUpstreams.Zip(results, (upstream, result) => result.Answered
            ? DoctorFinding.Ok(UpstreamCheck, upstream.ToString(), $"answers ({result.Response!.ResponseCode.ToString().ToUpperInvariant()} for {UpstreamProbeName})")
            : DoctorFinding.Problem(UpstreamCheck, upstream.ToString(), $"{result}: containers cannot resolve names outside Berth",
                "berthd --dns IP  # a resolver that answers; or fix the route to " + upstream.Address))];
    }
}
