using Berth.Cluster.Secrets;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>Update (compare-and-swap on the version, rollback to the previous spec) and remove.</summary>
public sealed partial class ServiceManager
{
    public async Task<IReadOnlyList<string>> UpdateAsync(string idOrName, long version, ServiceSpec? spec, bool rollback, RegistryAuthUpdate? registryAuth = null,
        CancellationToken cancellationToken = default)
    {
        var services = await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false);
        ServiceEntry current = Resolve(services, idOrName);
        if (current.Version != version)
        {
            throw SwarmErrors.Sequence();
        }

        ServiceRecord old = current.Record;
        ServiceSpec next = rollback
            ? old.PreviousSpec ?? throw new BerthException(ErrorKind.InvalidArgument, $"service {old.Id.Value} does not have a previous spec")
            : spec ?? throw new BerthException(ErrorKind.InvalidArgument, $"service {old.Spec.Name}: an update needs a spec");
        if (next.Name != old.Spec.Name)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "renaming services is not supported");
        }

        if (next.Mode.IsGlobal != old.Spec.Mode.IsGlobal)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "service mode change is not allowed");
        }

        ServiceSpecValidator.Validate(next);
        next = next with
        {
            Task = next.Task with
            {
                Networks = await ResolveNetworksAsync(next.Task.Networks, cancellationToken).ConfigureAwait(false),
                Container = next.Task.Container with { SealedRegistryAuth = KeptRegistryAuth(old, next, rollback, registryAuth) },
            },
        };
        var ports = AssignPorts(next, old.Id, old.Ports, services);
        var wanted = await VipNetworksAsync(next, ports, cancellationToken).ConfigureAwait(false);
        var kept = old.VirtualIps.Where(v => wanted.Contains(v.NetworkId)).ToList();
        var dropped = old.VirtualIps.Where(v => !wanted.Contains(v.NetworkId)).ToList();
        var claimed = new List<ServiceVirtualIp>();
        bool committed = false;
        ServiceRecord record;
        try
        {
            await ClaimVirtualIpsAsync(old.Id, next, ports, [.. kept], claimed, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = _time.GetUtcNow();
            // Only a change to what tasks run (template or endpoint) redeploys them; a scale or a label does not.
            bool redeploy = !ServiceRecords.SameDeployment(old.Spec, next);
            record = old with
            {
                Spec = next,
                PreviousSpec = old.Spec,
                SpecVersion = redeploy ? old.SpecVersion + 1 : old.SpecVersion,
                UpdatedAt = now,
                Ports = ports,
                VirtualIps = [.. kept, .. claimed],
                UpdateStatus = !redeploy ? old.UpdateStatus
                    : rollback ? new ServiceUpdateStatus(ServiceUpdateState.RollbackStarted, now) { Message = "manually requested rollback" }
                    : new ServiceUpdateStatus(ServiceUpdateState.Updating, now) { Message = "update in progress" },
            };
            for (int attempt = 1; !committed; attempt++)
            {
                var (fences, fencePuts) = await SecretReferences.FenceAsync(_store, next.Task.Container, cancellationToken).ConfigureAwait(false);
                var result = await _store.TransactAsync(new StoreTransaction
                {
                    Compares = [new StoreCompare(ClusterKeys.Service(old.Id), version), .. fences],
                    Success = [StoreOperation.Put(ClusterKeys.Service(old.Id), ServiceRecords.Bytes(record)), .. fencePuts],
                }, cancellationToken).ConfigureAwait(false);
                committed = result.Succeeded;
                if (!committed && (fences.IsEmpty || attempt == FenceAttempts
                    || (await _store.GetAsync(ClusterKeys.Service(old.Id), cancellationToken).ConfigureAwait(false))?.ModRevision != version))
                {
                    throw SwarmErrors.Sequence();
                }
            }
        }
        finally
        {
            if (!committed)
            {
                await ReleaseAsync(old.Id, claimed).ConfigureAwait(false);
            }
        }

        await ReleaseAsync(old.Id, dropped).ConfigureAwait(false);
        ServicesLog.Updated(_logger, next.Name, old.Id.Value, record.SpecVersion);
        return [];
    }

    /// <summary>
    /// moby's rule for an update's registry credentials: new ones sent are sealed; otherwise those of the current spec
    /// (<c>registryAuthFrom=spec</c>, the default) or of the previous one (<c>previous-spec</c>) are kept. A rollback
    /// without new ones takes the previous spec's own.
    /// </summary>
    private string? KeptRegistryAuth(ServiceRecord old, ServiceSpec next, bool rollback, RegistryAuthUpdate? registryAuth)
    {
        if (!string.IsNullOrWhiteSpace(registryAuth?.Encoded))
        {
            return SealRegistryAuth(old.Id, registryAuth.Encoded);
        }

        if (rollback)
        {
            return next.Task.Container.SealedRegistryAuth;
        }

        if (registryAuth?.FromPreviousSpec == true)
        {
            return (old.PreviousSpec ?? throw new BerthException(ErrorKind.InvalidArgument, $"service {old.Id.Value} does not have a previous spec"))
                .Task.Container.SealedRegistryAuth;
        }

        return old.Spec.Task.Container.SealedRegistryAuth;
    }

    public async Task RemoveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        // A concurrent update changes the version under us: read again and retry (the removal still stands).
        const int Attempts = 5;
        for (int attempt = 1; ; attempt++)
        {
            ServiceEntry current = await ServicesSnapshot.ExactAsync(_store, idOrName, cancellationToken).ConfigureAwait(false)
                ?? Resolve(await ServicesSnapshot.ServicesAsync(_store, cancellationToken).ConfigureAwait(false), idOrName);
            var result = await _store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(ClusterKeys.Service(current.Record.Id), current.Version)],
                Success = [StoreOperation.Delete(ClusterKeys.Service(current.Record.Id)), StoreOperation.Delete(ClusterKeys.ServiceName(current.Record.Spec.Name))],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                await ReleaseAsync(current.Record.Id, current.Record.VirtualIps).ConfigureAwait(false);
                ServicesLog.Removed(_logger, current.Record.Spec.Name, current.Record.Id.Value);
                return;
            }

            if (attempt == Attempts)
            {
                throw new BerthException(ErrorKind.Conflict, $"service {idOrName} kept changing while being removed; try again");
            }
        }
    }
}
