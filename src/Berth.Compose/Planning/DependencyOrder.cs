using System.Collections.Immutable;
using Berth.Compose.Model;

namespace Berth.Compose.Planning;

/// <summary>
/// The order services start in: each after every service it depends on (<c>depends_on</c>, and the service whose
/// network namespace it shares). Kahn's algorithm, ties broken by name so the order is stable.
/// </summary>
public static class DependencyOrder
{
    /// <summary>What <paramref name="service"/> must wait for.</summary>
    public static IEnumerable<string> DependenciesOf(ComposeService service)
    {
        foreach (var dependency in service.DependsOn)
        {
            yield return dependency.Service;
        }

        if (NetworkModeService(service) is { } shared)
        {
            yield return shared;
        }
    }

    /// <summary>X of <c>network_mode: service:X</c>, else null.</summary>
    public static string? NetworkModeService(ComposeService service) =>
        service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal) ? mode["service:".Length..] : null;

    /// <summary>
    /// The services in start order, or the services of a dependency cycle in <paramref name="cycle"/> (then the order is
    /// empty). Dependencies on services not in <paramref name="services"/> are ignored (the planner reports them).
    /// </summary>
    public static ImmutableArray<string> Sort(IReadOnlyDictionary<string, ComposeService> services, out ImmutableArray<string> cycle)
    {
        var waitingFor = services.ToDictionary(
            s => s.Key, s => DependenciesOf(s.Value).Where(services.ContainsKey).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var order = ImmutableArray.CreateBuilder<string>(services.Count);
        var ready = new SortedSet<string>(waitingFor.Where(w => w.Value.Count == 0).Select(w => w.Key), StringComparer.Ordinal);
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            order.Add(next);
            waitingFor.Remove(next);
            foreach (var (name, dependencies) in waitingFor)
            {
                if (dependencies.Remove(next) && dependencies.Count == 0)
                {
                    ready.Add(name);
                }
            }
        }

        cycle = [.. waitingFor.Keys.Order(StringComparer.Ordinal)];
        return cycle.IsEmpty ? order.ToImmutable() : [];
    }

    /// <summary><paramref name="roots"/> and everything they depend on, transitively.</summary>
    public static ImmutableHashSet<string> WithDependencies(IReadOnlyDictionary<string, ComposeService> services, IEnumerable<string> roots)
    {
        var result = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out var name))
        {
            if (result.Add(name) && services.TryGetValue(name, out var service))
            {
                foreach (var dependency in DependenciesOf(service))
                {
                    pending.Push(dependency);
                }
            }
        }

        return result.ToImmutable();
    }
}
