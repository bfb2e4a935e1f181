using System.Text;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Network.Overlay.Sealed;

/// <summary>A manager's part: a new key when the newest is older than the rotation interval.</summary>
public sealed partial class OverlayKeyFollower
{
    /// <summary>How often a manager looks whether a rotation is due: a tenth of the interval, at most a minute.</summary>
    private TimeSpan CheckEvery => _rotation / 10 < TimeSpan.FromMinutes(1) ? _rotation / 10 : TimeSpan.FromMinutes(1);

    private async Task RotateAsync(IStateStore store, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CheckEvery, _time, stopping).ConfigureAwait(false);
                await RotateIfDueAsync(store, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                SealedLog.Failed(_logger, "rotating the key ring", e.Message);
            }
        }
    }

    /// <summary>Adds a key if the newest is due, unless another manager changed the ring since it was read.</summary>
    private async Task RotateIfDueAsync(IStateStore store, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (await store.GetAsync(Key, cancellationToken).ConfigureAwait(false) is not { } entry)
        {
            return;
        }

        var ring = Read(entry);
        if (!ring.Due(now, _rotation))
        {
            return;
        }

        var rotated = ring.Rotate(now);
        var result = await store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(Key, entry.ModRevision)],
            Success = [StoreOperation.Put(Key, Encoding.UTF8.GetBytes(rotated.ToJson()))],
        }, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            SealedLog.Rotated(_logger, rotated.Keys[^1].Generation);
        }
    }
}
