namespace Berth.Store;

/// <summary>
/// Keeps a cache fed by two sources — the owner's own writes (applied at once, so a caller reads what it just wrote)
/// and a watch (which delivers the same writes later, and other processes' writes) — from going back in time: a
/// change to a key is applied only if its revision is above the last one applied to that key, deletes included
/// (their revision is kept as a tombstone until the watch has delivered them). Not thread-safe: use it under the
/// lock that guards the cache it fences, so that checking and applying are one step.
/// </summary>
public sealed class RevisionFence
{
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);

    /// <summary>True (and remembered) if <paramref name="revision"/> is newer than anything applied to the key.</summary>
    public bool TryAdvance(string key, long revision)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_applied.TryGetValue(key, out long seen) && seen >= revision)
        {
            return false;
        }

        _applied[key] = revision;
        return true;
    }

    /// <summary>
    /// A watch delivered the delete of the key at <paramref name="revision"/>: every older change of it has been
    /// delivered too, so its tombstone is no longer needed (unless something newer was applied meanwhile).
    /// </summary>
    public void Settle(string key, long revision)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_applied.TryGetValue(key, out long seen) && seen <= revision)
        {
            _applied.Remove(key);
        }
    }

    /// <summary>Keys applied and not settled (for tests).</summary>
    public int Count => _applied.Count;
}
