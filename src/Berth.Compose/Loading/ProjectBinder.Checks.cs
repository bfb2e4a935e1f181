using System.Net.Sockets;
using Berth.Compose.Model;
using Berth.Core.Addressing;

namespace Berth.Compose.Loading;

internal sealed partial class ProjectBinder
{
    /// <summary>The checks across the project, made once every service, network and volume is bound.</summary>
    private void CheckReferences(
        IReadOnlyDictionary<string, ComposeService> all,
        IReadOnlyDictionary<string, ComposeService> active,
        IReadOnlyDictionary<string, ComposeNetwork> networks,
        IReadOnlyDictionary<string, ComposeVolume> volumes)
    {
        foreach (var reference in networkReferences.Where(r => !networks.ContainsKey(r.Target) && r.Target != DefaultNetwork))
        {
            problems.Add(reference.Node, reference.Path,
                $"network \"{reference.Target}\" is not defined; define it under the top-level networks: or fix the name");
        }

        foreach (var reference in volumeReferences.Where(r => !volumes.ContainsKey(r.Target)))
        {
            problems.Add(reference.Node, reference.Path,
                $"volume \"{reference.Target}\" is not defined; define it under the top-level volumes: or, for a host path, start it with ./ or /");
        }

        foreach (var reference in dependencies.Concat(networkModeReferences))
        {
            var what = reference.Path.EndsWith("network_mode", StringComparison.Ordinal) ? "network_mode" : "depends_on";
            if (reference.Target == reference.Service)
            {
                problems.Add(reference.Node, reference.Path, $"service \"{reference.Service}\" cannot name itself in {what}");
            }
            else if (!all.TryGetValue(reference.Target, out var target))
            {
                problems.Add(reference.Node, reference.Path, $"service \"{reference.Target}\" is not defined; fix the name or add the service");
            }
            else if (active.ContainsKey(reference.Service) && !active.ContainsKey(reference.Target))
            {
                problems.Add(reference.Node, reference.Path,
                    $"service \"{reference.Target}\" is not enabled (profiles: {string.Join(", ", target.Profiles)}); enable it with --profile {target.Profiles[0]}");
            }
            else if (reference.Condition == DependencyCondition.Healthy && target.Healthcheck is null or { Disable: true })
            {
                problems.Warn(reference.Node, reference.Path, $"service \"{reference.Target}\" has no healthcheck here; service_healthy then relies on its image's HEALTHCHECK");
            }
        }

        CheckCycles(all);
        CheckFixedAddresses(active, networks);
    }

    /// <summary>depends_on must be acyclic: a cycle is reported once, at the entry that closes it.</summary>
    private void CheckCycles(IReadOnlyDictionary<string, ComposeService> all)
    {
        var edges = dependencies.Where(d => all.ContainsKey(d.Target) && d.Target != d.Service).ToLookup(d => d.Service, StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path, true: done
        var stack = new List<string>();
        void Visit(string service)
        {
            state[service] = false;
            stack.Add(service);
            foreach (var edge in edges[service])
            {
                if (!state.TryGetValue(edge.Target, out var done))
                {
                    Visit(edge.Target);
                }
                else if (!done)
                {
                    var cycle = stack.Skip(stack.IndexOf(edge.Target)).Append(edge.Target);
                    problems.Add(edge.Node, edge.Path, $"dependency cycle: {string.Join(" -> ", cycle)}; remove one of these depends_on entries");
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[service] = true;
        }

        foreach (var service in all.Keys.Where(s => !state.ContainsKey(s)))
        {
            Visit(service);
        }
    }

    /// <summary>
    /// A fixed address needs a network whose ipam config has a subnet of its family containing it (Docker's rule), one
    /// replica, and no other service holding it. External networks are checked by the daemon at <c>up</c>.
    /// </summary>
    private void CheckFixedAddresses(IReadOnlyDictionary<string, ComposeService> active, IReadOnlyDictionary<string, ComposeNetwork> networks)
    {
        var taken = new Dictionary<(string Network, string Address), string>();
        foreach (var fixedAddress in fixedAddresses.Where(f => active.ContainsKey(f.Service)))
        {
            if (!networks.TryGetValue(fixedAddress.Network, out var network) || network.External)
            {
                continue;
            }

            var family = fixedAddress.Address.AddressFamily;
            var subnets = (network.Ipam?.Config ?? []).Select(p => IPPrefix.TryParse(p.Subnet, out var prefix) ? prefix.Network : (System.Net.IPNetwork?)null)
                .OfType<System.Net.IPNetwork>().Where(n => n.BaseAddress.AddressFamily == family).ToList();
            if (subnets.Count == 0)
            {
                problems.Add(fixedAddress.Node, fixedAddress.Path,
                    $"user specified IP address is supported only when connecting to networks with user configured subnets; give network \"{fixedAddress.Network}\" an ipam config with a{(family == AddressFamily.InterNetwork ? "n IPv4" : "n IPv6")} subnet, or remove {fixedAddress.Key}");
                continue;
            }

            if (!subnets.Any(s => s.Contains(fixedAddress.Address)))
            {
                problems.Add(fixedAddress.Node, fixedAddress.Path,
                    $"{fixedAddress.Address} is outside every subnet of network \"{fixedAddress.Network}\" ({string.Join(", ", subnets)}); pick an address inside one of them");
                continue;
            }

            if (active[fixedAddress.Service].Scale > 1)
            {
                problems.Add(fixedAddress.Node, fixedAddress.Path,
                    $"a fixed address cannot be shared by {active[fixedAddress.Service].Scale} replicas; remove {fixedAddress.Key} or scale to 1");
            }

            var key = (fixedAddress.Network, fixedAddress.Address.ToString());
            if (taken.TryGetValue(key, out var holder))
            {
                problems.Add(fixedAddress.Node, fixedAddress.Path,
                    $"{fixedAddress.Address} on network \"{fixedAddress.Network}\" is already service \"{holder}\"'s; give each service its own address");
            }
            else
            {
                taken[key] = fixedAddress.Service;
            }
        }
    }
}
