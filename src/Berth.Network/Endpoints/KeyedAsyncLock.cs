namespace Berth.Network.Endpoints;

/// <summary>
/// One async lock per key, made on first use and dropped when nobody holds or waits for it: work on one key
/// (a container) is serialised, work on different keys runs in parallel.
/// </summary>
public sealed class KeyedAsyncLock<TKey>
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, Gate> _gates;

    public KeyedAsyncLock(IEqualityComparer<TKey>? comparer = null) => _gates = new(comparer);

    /// <summary>Keys with a holder or a waiter (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Waits for the key's lock; dispose the result to release it.</summary>
    public async Task<Holder> LockAsync(TKey key, CancellationToken cancellationToken = default)
    {
        Gate gate;
        lock (_lock)
        {
            if (!_gates.TryGetValue(key, out gate!))
            {
                gate = new Gate();
                _gates[key] = gate;
            }

            gate.Users++;
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Leave(key, gate);
            throw;
        }

        return new Holder(this, key, gate);
    }

    private void Leave(TKey key, Gate gate)
    {
        lock (_lock)
        {
            // Nobody holds or waits: the semaphore can go (a later LockAsync makes a new one).
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>A held lock; disposing it lets the next waiter of the key in.</summary>
    public sealed class Holder : IDisposable
    {
        private readonly KeyedAsyncLock<TKey> _owner;
        private readonly TKey _key;
        private Gate? _gate;

        internal Holder(KeyedAsyncLock<TKey> owner, TKey key, Gate gate)
        {
            _owner = owner;
            _key = key;
            _gate = gate;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _gate, null) is { } gate)
            {
                gate.Semaphore.Release();
                _owner.Leave(_key, gate);
            }
        }
    }

    internal sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
