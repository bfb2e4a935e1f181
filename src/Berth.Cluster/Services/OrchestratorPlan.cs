using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>
/// The writes one pass decided for one service, each with the compare that makes it safe: a task's record only if
/// it still has the revision the pass read (0: only if absent). A key written twice keeps its first compare.
/// </summary>
internal sealed class OrchestratorPlan
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (long Compare, ReadOnlyMemory<byte>? Value, bool Compared)> _writes = new(StringComparer.Ordinal);

    public int Count => _order.Count;

    public void Put(string key, ReadOnlyMemory<byte> value, long compareRevision) => Add(key, compareRevision, value, compared: true);

    public void Delete(string key, long compareRevision) => Add(key, compareRevision, null, compared: true);

    /// <summary>A delete that holds whatever the key's revision (a node's report).</summary>
    public void DeleteUnchecked(string key) => Add(key, 0, null, compared: false);

    /// <summary>The writes as transactions of at most <paramref name="maxOperations"/> operations, each fenced by <paramref name="fence"/>.</summary>
    public IEnumerable<StoreTransaction> Transactions(StoreCompare fence, int maxOperations)
    {
        foreach (var chunk in _order.Chunk(maxOperations))
        {
            yield return new StoreTransaction
            {
                Compares = [fence, .. chunk.Where(k => _writes[k].Compared).Select(k => new StoreCompare(k, _writes[k].Compare))],
                Success = [.. chunk.Select(k => _writes[k].Value is { } value ? StoreOperation.Put(k, value) : StoreOperation.Delete(k))],
            };
        }
    }

    private void Add(string key, long compare, ReadOnlyMemory<byte>? value, bool compared)
    {
        if (_writes.TryGetValue(key, out var first))
        {
            _writes[key] = (first.Compare, value, first.Compared);
            return;
        }

        _order.Add(key);
        _writes[key] = (compare, value, compared);
    }
}
