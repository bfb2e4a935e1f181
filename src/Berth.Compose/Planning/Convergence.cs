using System.Collections.Immutable;

namespace Berth.Compose.Planning;

/// <summary>
/// docker-compose's convergence for one service: containers 1..scale, each kept, started, created or recreated by its
/// config hash; those numbered past the scale removed. So <c>up</c> twice changes nothing that did not change.
/// </summary>
public static class Convergence
{
    /// <param name="existing">The service's containers now (one-offs are not considered).</param>
    /// <param name="forceRecreate">Recreate every container (<c>--force-recreate</c>, or the namespace it shares was recreated).</param>
    /// <param name="expectedNetworkMode">For <c>network_mode: service:X</c>, <c>container:&lt;id&gt;</c> of X's container now: one joined to another is recreated.</param>
    public static ImmutableArray<ContainerAction> Plan(ServicePlan service, IEnumerable<ExistingContainer> existing, bool forceRecreate = false, string? expectedNetworkMode = null)
    {
        var actions = ImmutableArray.CreateBuilder<ContainerAction>();
        var mine = existing.Where(c => c.Service == service.Name && !c.OneOff).ToList();

        // Two containers claiming one number (a crash half-way through a recreate): keep the one that fits best.
        var byNumber = mine.GroupBy(c => c.Number)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.ConfigHash == service.ConfigHash).ThenByDescending(c => c.Running).ToList());
        for (var number = 1; number <= service.Scale; number++)
        {
            var name = service.ContainerName(number);
            if (!byNumber.TryGetValue(number, out var candidates))
            {
                actions.Add(new ContainerAction(ContainerActionKind.Create, number, name, null));
                continue;
            }

            var current = candidates[0];
            foreach (var duplicate in candidates.Skip(1))
            {
                actions.Add(new ContainerAction(ContainerActionKind.Remove, number, duplicate.Name, duplicate));
            }

            var fits = !forceRecreate && current.ConfigHash == service.ConfigHash
                && (expectedNetworkMode is null || current.NetworkMode == expectedNetworkMode);
            var kind = !fits ? ContainerActionKind.Recreate : current.Running ? ContainerActionKind.Keep : ContainerActionKind.Start;
            actions.Add(new ContainerAction(kind, number, name, current));
        }

        foreach (var extra in mine.Where(c => c.Number < 1 || c.Number > service.Scale).OrderByDescending(c => c.Number))
        {
            actions.Add(new ContainerAction(ContainerActionKind.Remove, extra.Number, extra.Name, extra));
        }

        return actions.ToImmutable();
    }
}
