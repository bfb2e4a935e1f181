namespace Berth.Core.Concurrency;

/// <summary>
/// An async lock per key: work on one key is serialised, work on different keys runs in parallel.
/// Entries are reference-counted and dropped when the last holder or waiter leaves, so the table
/// holds only keys in use. Invariant: an entry's count is changed only under <c>_table</c>'s lock,
/// and an entry whose count reached zero is removed in the same critical section, so no one can
/// wait on a semaphore that is no longer in the table.
/// </summary>
public sealed class KeyedLock<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _table;

    public KeyedLock(IEqualityComparer<TKey>? comparer = null)
    {
        _table = new Dictionary<TKey, Entry>(comparer);
    }

    /// <summary>Keys currently held or waited for (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_table)
            {
                return _table.Count;
            }
        }
    }

    /// <summary>Waits for <paramref name="key"/>'s lock; dispose the result to release it.</summary>
    public async Task<Releaser> LockAsync(TKey key, CancellationToken cancellationToken = default)
    {
        Entry entry;
        lock (_table)
        {
            if (!_table.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _table[key] = entry;
            }

            entry.References++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Leave(key, entry);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    private void Leave(TKey key, Entry entry)
    {
        lock (_table)
        {
            if (--entry.References == 0)
            {
                _table.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    /// <summary>Releases the key's lock once.</summary>
    public readonly struct Releaser : IDisposable, IEquatable<Releaser>
    {
        private readonly KeyedLock<TKey>? _owner;
        private readonly TKey _key;
        private readonly Entry? _entry;

        internal Releaser(KeyedLock<TKey> owner, TKey key, Entry entry)
        {
            _owner = owner;
            _key = key;
            _entry = entry;
        }

        public void Dispose()
        {
            if (_owner is not null && _entry is not null)
            {
                _entry.Semaphore.Release();
                _owner.Leave(_key, _entry);
            }
        }

        public bool Equals(Releaser other) => ReferenceEquals(_entry, other._entry);

        public override bool Equals(object? obj) => obj is Releaser other && Equals(other);

        public override int GetHashCode() => _entry?.GetHashCode() ?? 0;

        public static bool operator ==(Releaser left, Releaser right) => left.Equals(right);

        public static bool operator !=(Releaser left, Releaser right) => !left.Equals(right);
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }
}
