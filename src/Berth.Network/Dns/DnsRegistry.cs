using System.Collections.Concurrent;
using Berth.Core.Networks;

namespace Berth.Network.Dns;

/// <summary>
/// The resolver's names: the current <see cref="DnsNames"/> snapshot, replaced whole by a
/// compare-and-swap loop on every change, and round-robin counters per name. No I/O.
/// </summary>
public sealed class DnsRegistry
{
    private readonly ConcurrentDictionary<string, StrongBoxCounter> rotations = new(StringComparer.Ordinal);
    private DnsNames current = DnsNames.Empty;

    public DnsNames Current => Volatile.Read(ref current);

    /// <summary>Adds or replaces a container's endpoint on one network.</summary>
    public void Set(DnsEndpoint endpoint) => Publish(names => names.With(endpoint));

    /// <summary>Replaces all of a container's endpoints at once: no query sees a state in between.</summary>
    public void SetContainer(string containerId, IReadOnlyCollection<DnsEndpoint> endpoints) =>
        Publish(names => endpoints.Aggregate(names.WithoutContainer(containerId), (all, endpoint) => all.With(endpoint)));

    public void RemoveEndpoint(string containerId, NetworkId network) => Publish(names => names.WithoutEndpoint(containerId, network));

    /// <summary>Many endpoints set and removed as one change: one new snapshot, whatever their number.</summary>
    public void Apply(IReadOnlyCollection<DnsEndpoint> set, IReadOnlyCollection<(string ContainerId, NetworkId Network)> removed) =>
        Publish(names => names.WithChanges(set, removed));

    public void RemoveContainer(string containerId) => Publish(names => names.WithoutContainer(containerId));

    /// <summary>Answers a question from the current snapshot; each answered name's addresses rotate by one per query.</summary>
    public DnsLookup Lookup(string askingContainerId, DnsQuestion question)
    {
        DnsLookup lookup = Current.Lookup(askingContainerId, question);
        if (lookup.Kind != DnsLookupKind.Answered || lookup.Answers.Length < 2)
        {
            return lookup;
        }

        string key = question.Type + " " + DnsNames.Normalize(question.Name);
        int turn = Interlocked.Increment(ref rotations.GetOrAdd(key, _ => new StrongBoxCounter()).Value) - 1;
        int start = (int)((uint)turn % (uint)lookup.Answers.Length);
        return start == 0 ? lookup : lookup with { Answers = [.. lookup.Answers[start..], .. lookup.Answers[..start]] };
    }

    private void Publish(Func<DnsNames, DnsNames> change)
    {
        while (true)
        {
            DnsNames before = Volatile.Read(ref current);
            DnsNames after = change(before);
            if (ReferenceEquals(before, after) || ReferenceEquals(Interlocked.CompareExchange(ref current, after, before), before))
            {
                if (!ReferenceEquals(before, after))
                {
                    // Counters of names no longer registered would only grow the map.
                    rotations.Clear();
                }

                return;
            }
        }
    }

    private sealed class StrongBoxCounter
    {
        public int Value;
    }
}
