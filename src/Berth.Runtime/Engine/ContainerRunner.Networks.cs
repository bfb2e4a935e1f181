using System.Collections.Concurrent;
using System.Threading.Channels;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// Work that waits for a container's networks: a swarm's networks come from the cluster store only once the node is
/// back in its swarm, a while after berthd's start. The release of a run that ended meanwhile (its namespace went at
/// once, its endpoints and addresses wait, withheld from the cluster) and the restart its policy calls for (Docker's
/// rule: a container on a swarm network is restarted once the swarm is back, as dockerd's
/// <c>RestartSwarmContainers</c>) happen when the networks are loaded, each under the container's lock.
/// </summary>
public sealed partial class ContainerRunner
{
    private readonly Channel<bool> _networksChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Starts waiting for the container's networks: whether each is a start as the user's (berthd's own start) or the restart policy's.</summary>
    private readonly ConcurrentDictionary<ContainerId, bool> _awaitingNetworks = new();

    private Task _followingNetworks = Task.CompletedTask;

    /// <summary>From berthd's start (before anything can wait): every change of the known networks retries what waits.</summary>
    private void FollowNetworks()
    {
        network.NetworksChanged += OnNetworksChanged;
        var shutdown = _shutdown.Token;
        _followingNetworks = Task.Run(() => FollowNetworksAsync(shutdown));
    }

    private void OnNetworksChanged() => _networksChanged.Writer.TryWrite(true);

    private async Task FollowNetworksAsync(CancellationToken shutdown)
    {
        try
        {
            while (await _networksChanged.Reader.WaitToReadAsync(shutdown).ConfigureAwait(false))
            {
                _networksChanged.Reader.TryRead(out _);
                await ReleaseAwaitingAsync(shutdown).ConfigureAwait(false);
                await StartAwaitingAsync(shutdown).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // berthd is stopping: the next one's start releases and restarts what is left.
        }
    }

    /// <summary>Each container whose endpoints wait for a network: released, if it is known now (otherwise they wait on).</summary>
    private async Task ReleaseAwaitingAsync(CancellationToken shutdown)
    {
        foreach (string value in network.AwaitingRelease)
        {
            if (!ContainerId.TryParse(value, out var id))
            {
                continue;
            }

            using (await slots.LockAsync(id, shutdown).ConfigureAwait(false))
            {
                var record = records.TryGet(id);
                if (record is { Status: ContainerStatus.Running })
                {
                    continue;
                }

                try
                {
                    if (await network.DetachAsync(id, record?.Name ?? id.Value, [], publishEvents: record is not null, shutdown).ConfigureAwait(false))
                    {
                        AwaitedReleaseDone(logger, id.Short);
                    }
                }
                catch (BerthException e)
                {
                    AwaitedReleaseFailed(logger, id.Short, e.Message);
                }
            }
        }
    }

    /// <summary>Each restart waiting for its networks: started once they are known, if it is still due.</summary>
    private async Task StartAwaitingAsync(CancellationToken shutdown)
    {
        foreach (var id in _awaitingNetworks.Keys)
        {
            using (await slots.LockAsync(id, shutdown).ConfigureAwait(false))
            {
                if (!_awaitingNetworks.TryRemove(id, out bool byUser) || records.TryGet(id) is not { } record || !Due(record, byUser))
                {
                    continue;
                }

                await StartWhenNetworksKnownLockedAsync(record, byUser, shutdown).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A restart (lock held): now if the container's networks are known, otherwise when they are (the container stays as
    /// it is meanwhile: restarting for the policy's). A start that fails leaves it exited, as dockerd's restart manager does.
    /// </summary>
    private async Task StartWhenNetworksKnownLockedAsync(ContainerRecord record, bool byUser, CancellationToken cancellationToken)
    {
        // Marked before the networks are looked at: one loaded after the look raises NetworksChanged after, which finds the mark.
        _awaitingNetworks[record.Id] = byUser;
        if (!await network.NetworksKnownAsync(record, cancellationToken).ConfigureAwait(false))
        {
            StartAwaitsNetworks(logger, record.ShortId);
            return;
        }

        _awaitingNetworks.TryRemove(record.Id, out _);
        try
        {
            await StartLockedAsync(record, byUser, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            RestartFailed(logger, record.ShortId, e.Message);
            if (record.Status == ContainerStatus.Restarting)
            {
                await records.SaveAsync(record.Id, r => r with { Status = ContainerStatus.Exited }, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether a waiting start is still wanted: the policy's while the container is restarting (a stop by the user ends that), berthd's own while it is due.</summary>
    private static bool Due(ContainerRecord record, bool byUser) =>
        byUser ? RestartManager.IsDueAtStartup(record) : record.Status == ContainerStatus.Restarting;

    [LoggerMessage(EventId = 5313, Level = LogLevel.Information, Message = "container {Id}: its network, known now, released")]
    private static partial void AwaitedReleaseDone(ILogger logger, string id);

    [LoggerMessage(EventId = 5314, Level = LogLevel.Warning, Message = "container {Id}: releasing its network failed, tried again at the next change of networks: {Message}")]
    private static partial void AwaitedReleaseFailed(ILogger logger, string id, string message);

    [LoggerMessage(EventId = 5315, Level = LogLevel.Information, Message = "container {Id}: its restart waits for its networks (a swarm's, loaded once the node is back in its swarm)")]
    private static partial void StartAwaitsNetworks(ILogger logger, string id);
}
