using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;
using Berth.Network.Endpoints;
using Berth.Network.Overlay;

namespace Berth.Network.Ingress;

/// <summary>
/// The routing mesh on one node: its entry into the ingress overlay (the host namespace joined to the ingress sandbox as
/// <see cref="EntryInterface"/>), the host DNAT table for the published ports, and the return path of each local ingress
/// task, kept in step with every node's entry. Thread-safe (one gate); all state it keeps is what it was last told, the
/// kernel holds the rest.
/// </summary>
public sealed class IngressMesh
{
    /// <summary>The host namespace's interface on the ingress network.</summary>
    public const string EntryInterface = "ingress0";

    /// <summary>The entry veth's end on the ingress sandbox's br0.</summary>
    public const string EntrySandboxEnd = "veth-ingress";

    private readonly NetworkNamespace _host;
    private readonly OverlaySandboxes _sandboxes;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (NetworkNamespace Namespace, string Interface)> _tasks = new(StringComparer.Ordinal);
    private IReadOnlyCollection<IngressEntry> _entries = [];
    private IReadOnlyCollection<IngressPublication>? _publications;

    public IngressMesh(NetworkNamespace host, OverlaySandboxes sandboxes)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(sandboxes);
        _host = host;
        _sandboxes = sandboxes;
    }

    /// <summary>
    /// Makes this node's entry: the host namespace joins the ingress sandbox with <paramref name="entry"/>'s address and MAC
    /// on <see cref="EntryInterface"/> (its connected route only, never a default route); the host forwards IPv4.
    /// <paramref name="entry"/>'s <c>InterfaceName</c> is replaced by <see cref="EntryInterface"/>.
    /// </summary>
    public EndpointState Attach(OverlaySandboxSpec spec, EndpointState entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.DefaultRoute)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"ingress entry {entry.EndpointId} asks for a default route; the host's own routes must stay");
        }

        var wired = entry with { InterfaceName = EntryInterface, Gateway = null, IPv6Gateway = null };
        lock (_gate)
        {
            _host.Sysctls.SetIPv4Forwarding(true);
            _sandboxes.Join(spec, wired, EntrySandboxEnd, _host);
        }

        return wired;
    }

    /// <summary>Removes this node's entry and the host DNAT table. Idempotent.</summary>
    public void Detach(NetworkId network, EndpointState entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _sandboxes.Leave(network, entry with { InterfaceName = EntryInterface }, EntrySandboxEnd, _host);
            if (_host.Nft.TableExists(IngressRuleset.HostTable))
            {
                _host.Nft.Apply(new NftBatch().DeleteTable(IngressRuleset.HostTable));
            }

            _publications = null;
        }
    }

    /// <summary>The ports published through the mesh and their backends; the host table is rewritten only when they changed.</summary>
    public void SetPublications(IReadOnlyCollection<IngressPublication> publications)
    {
        ArgumentNullException.ThrowIfNull(publications);
        lock (_gate)
        {
            if (_publications is { } current && current.Count == publications.Count && current.ToHashSet().SetEquals(publications))
            {
                return;
            }

            _host.Nft.Apply(IngressRuleset.Host(publications), "the routing mesh's published ports");
            _publications = [.. publications];
        }
    }

    /// <summary>Every node's entry (this one's too); each local ingress task's return path follows. Failures are reported together.</summary>
    public void SetEntries(IReadOnlyCollection<IngressEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            _entries = [.. entries];
            var problems = new List<string>();
            foreach (var (container, task) in _tasks)
            {
                try
                {
                    IngressReturnPath.Apply(task.Namespace, task.Interface, _entries);
                }
                catch (BerthException e)
                {
                    problems.Add($"task container {container}: {e.Message}");
                }
            }

            if (problems.Count > 0)
            {
                throw new BerthException(ErrorKind.Internal, "the ingress return path could not be updated for: " + string.Join("; ", problems));
            }
        }
    }

    /// <summary>A local task on the ingress network (its namespace, its interface there): its return path is made and kept.</summary>
    public void SyncTask(string containerId, NetworkNamespace task, string ingressInterface)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(task);
        lock (_gate)
        {
            IngressReturnPath.Apply(task, ingressInterface, _entries);
            _tasks[containerId] = (task, ingressInterface);
        }
    }

    /// <summary>A task that left: nothing more is written into its namespace (its rules go with it).</summary>
    public void ForgetTask(string containerId)
    {
        lock (_gate)
        {
            _tasks.Remove(containerId);
        }
    }
}
