using System.Collections.Immutable;
using Berth.Api.Contracts;

namespace Berth.Compose.Planning;

/// <summary>
/// One network of the project: its Docker name and, unless it is external, the create request (driver, options, IPAM,
/// and the labels <c>com.docker.compose.project</c>/<c>network</c>/<c>version</c> docker-compose writes and reads).
/// </summary>
public sealed record NetworkPlan
{
    /// <summary>The key in the file.</summary>
    public required string Key { get; init; }

    /// <summary>The Docker name.</summary>
    public required string Name { get; init; }

    /// <summary>Made elsewhere: must exist at <c>up</c>; never created nor removed.</summary>
    public bool External { get; init; }

    /// <summary>The body of <c>POST /networks/create</c>; null for an external network. Build a fresh one per call.</summary>
    public NetworkCreateRequest? Create { get; init; }

    /// <summary>The driver the network must have (the daemon's default, bridge, when the file names none).</summary>
    public string ExpectedDriver { get; init; } = "bridge";

    public ImmutableSortedDictionary<string, string> ExpectedOptions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public bool ExpectedInternal { get; init; }

    public bool ExpectedIPv6 { get; init; }

    /// <summary>
    /// What differs between this plan and a network of the same name that exists (driver, options, internal, IPv6 — what
    /// docker-compose compares); empty when it can be used as it is. Never for external networks.
    /// </summary>
    public ImmutableArray<string> Differences(Network existing)
    {
        if (External)
        {
            return [];
        }

        var differences = ImmutableArray.CreateBuilder<string>();
        if (!string.Equals(existing.Driver, ExpectedDriver, StringComparison.Ordinal))
        {
            differences.Add($"driver is \"{existing.Driver}\", the file says \"{ExpectedDriver}\"");
        }

        foreach (var key in ExpectedOptions.Keys.Union(existing.Options.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var want = ExpectedOptions.GetValueOrDefault(key);
            var have = existing.Options.GetValueOrDefault(key);
            if (!string.Equals(want, have, StringComparison.Ordinal))
            {
                differences.Add($"option \"{key}\" is {Show(have)}, the file says {Show(want)}");
            }
        }

        if (existing.Internal != ExpectedInternal)
        {
            differences.Add($"internal is {existing.Internal.ToString().ToLowerInvariant()}, the file says {ExpectedInternal.ToString().ToLowerInvariant()}");
        }

        if (existing.EnableIPv6 != ExpectedIPv6)
        {
            differences.Add($"enable_ipv6 is {existing.EnableIPv6.ToString().ToLowerInvariant()}, the file says {ExpectedIPv6.ToString().ToLowerInvariant()}");
        }

        return differences.ToImmutable();
    }

    private static string Show(string? value) => value is null ? "unset" : "\"" + value + "\"";
}
