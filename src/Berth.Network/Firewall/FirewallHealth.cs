using System.Collections.Immutable;

namespace Berth.Network.Firewall;

/// <summary>
/// Berth's firewall as the kernel has it now, read without changing anything (<c>berth doctor</c>): which of Berth's
/// own tables are missing or no longer of the shape this berthd makes, the interfaces in its <c>bridges</c> and
/// <c>entries</c> sets, and the other tools' forward chains with whether Berth's accept rules are in them.
/// </summary>
public sealed record FirewallHealth
{
    /// <summary><c>berthd --firewall none</c>: Berth makes no rules, so there is nothing to look at.</summary>
    public static FirewallHealth Disabled { get; } = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>Berth's tables (<c>inet berth</c>, <c>bridge berth</c>) that do not exist.</summary>
    public ImmutableArray<string> MissingTables { get; init; } = [];

    /// <summary>Berth's tables that exist with other sets, chains or rules than this berthd makes (changed by hand or by another program).</summary>
    public ImmutableArray<string> ChangedTables { get; init; } = [];

    /// <summary>The interfaces Berth lets through other tools' chains: its bridges and the routing mesh's entry.</summary>
    public ImmutableArray<string> Bridges { get; init; } = [];

    /// <summary>Every forward filter chain of another tool's <c>ip</c>, <c>ip6</c> or <c>inet</c> table.</summary>
    public ImmutableArray<ForeignChainHealth> ForeignChains { get; init; } = [];
}
