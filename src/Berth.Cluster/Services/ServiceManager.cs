using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Services;

/// <summary>
/// <see cref="IServices"/> over the cluster store: records written by compare-and-swap (a service's version is its
/// record's mod revision), names claimed in the create's transaction, virtual IPs claimed through
/// <see cref="IServiceNetworking"/> and given back on any failure. Tasks are the orchestrator's; this only reads them.
/// A store that cannot commit throws Unavailable, which passes through for the caller to map.
/// </summary>
public sealed partial class ServiceManager : IServices
{
    private readonly IStateStore _store;
    private readonly IServiceNetworking _networking;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>The managers' seal for registry credentials; null: a create or update carrying some is refused.</summary>
    private readonly Func<Secrets.SecretSeal>? _seal;

    public ServiceManager(IStateStore store, IServiceNetworking networking, TimeProvider time, ILogger logger, Func<Secrets.SecretSeal>? seal = null)
    {
        _seal = seal;
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(networking);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _networking = networking;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// <c>service ID</c> of a service whose spec uses the network (one of its networks, or its ingress VIP), as the
    /// records say now; null for none. A service removed a moment ago is no user, whatever its tasks are still doing.
    /// </summary>
    public async Task<string?> ServiceUsingNetworkAsync(string networkId, CancellationToken cancellationToken = default)
    {
        foreach (var entry in await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            var record = entry.Record;
            if (record.Spec.Task.Networks.Any(n => n.Target == networkId) || record.VirtualIps.Any(v => v.NetworkId == networkId))
            {
                return $"service {record.Id.Value}";
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<ServiceView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await ServicesSnapshot.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        return [.. snapshot.Services.OrderBy(s => s.Record.Spec.Name, StringComparer.Ordinal).Select(s => View(s, snapshot))];
    }

    public async Task<ServiceView> GetAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var snapshot = await ServicesSnapshot.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        return View(Resolve(snapshot.Services, idOrName), snapshot);
    }

    /// <summary>By full id, exact name, or unique id prefix (Docker's order).</summary>
    internal static ServiceEntry Resolve(IReadOnlyList<ServiceEntry> services, string idOrName)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        var exact = services.FirstOrDefault(s => s.Record.Id.Value == idOrName) ?? services.FirstOrDefault(s => s.Record.Spec.Name == idOrName);
        if (exact is not null)
        {
            return exact;
        }

        var prefixed = idOrName.Length == 0 ? [] : services.Where(s => s.Record.Id.Value.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        return prefixed.Count switch
        {
            1 => prefixed[0],
            0 => throw NotFound(idOrName),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"service {idOrName} is ambiguous ({prefixed.Count} matches found)"),
        };
    }

    internal static BerthException NotFound(string idOrName) => new(ErrorKind.NotFound, $"service {idOrName} not found");

    /// <summary>
    /// Docker's <c>ServiceStatus</c>: running tasks are those reported running and still desired running; desired is the
    /// replica count, or for a global service the live, non-drained nodes holding a task desired running.
    /// </summary>
    internal static ServiceView View(ServiceEntry service, ServicesSnapshot snapshot)
    {
        var tasks = snapshot.Tasks.Where(t => t.Record.ServiceId == service.Record.Id).ToList();
        int running = tasks.Count(t => t.State == TaskState.Running && t.Record.DesiredState == TaskState.Running);
        int completed = tasks.Count(t => t.State == TaskState.Complete);
        int desired;
        if (service.Record.Spec.Mode.IsGlobal)
        {
            var eligible = snapshot.Nodes.Where(n => n.Alive && n.Record.Availability != NodeAvailability.Drain).Select(n => n.Record.Id).ToHashSet();
            desired = tasks.Where(t => t.Record.DesiredState == TaskState.Running && t.Record.Node is { } node && eligible.Contains(node))
                .Select(t => t.Record.Node!.Value).Distinct().Count();
        }
        else
        {
            desired = (int)Math.Min(service.Record.Spec.Mode.Replicas, int.MaxValue);
        }

        return new ServiceView(service.Record, service.Version, running, desired, completed);
    }

    private async Task ReleaseAsync(ServiceId service, IEnumerable<ServiceVirtualIp> addresses)
    {
        foreach (ServiceVirtualIp vip in addresses)
        {
            try
            {
                // Not the caller's token: a cancelled request must still give back what it claimed.
                await _networking.ReleaseVirtualIpAsync(vip.NetworkId, service, vip.Address, CancellationToken.None).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                ServicesLog.ReleaseFailed(_logger, vip.Address, vip.NetworkId, e);
            }
        }
    }
}
