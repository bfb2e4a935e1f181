using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Routes;

namespace Berth.Linux.Rules;

/// <summary>
/// A policy routing rule to add or delete (<c>ip rule</c>). On delete, the kernel removes the first
/// rule that matches every field given here, so a spec with its priority names one rule exactly.
/// </summary>
public sealed record RuleSpec
{
    public AddressFamily Family { get; init; } = AddressFamily.InterNetwork;

    /// <summary>Lower runs first; null lets the kernel pick one just below the last rule it added (as <c>ip rule</c>).</summary>
    public int? Priority { get; init; }

    /// <summary>Matches packets whose fwmark, masked with <see cref="FwMask"/>, equals this.</summary>
    public uint? FwMark { get; init; }

    /// <summary>Mask for <see cref="FwMark"/>; null is all ones.</summary>
    public uint? FwMask { get; init; }

    public IPNetwork? Source { get; init; }

    public IPNetwork? Destination { get; init; }

    /// <summary>Matches packets that came in on this interface (<c>iif</c>; "lo" for locally generated ones).</summary>
    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public int Table { get; init; } = RouteTable.Main;

    public RuleAction Action { get; init; } = RuleAction.ToTable;

    /// <summary>The rule <c>fwmark MARK lookup TABLE</c> at a given priority.</summary>
    public static RuleSpec ForMark(uint mark, int table, int priority) => new() { FwMark = mark, Table = table, Priority = priority };

    public override string ToString()
    {
        var parts = new List<string>();
        if (Priority is { } priority)
        {
            parts.Add(priority.ToString(CultureInfo.InvariantCulture) + ":");
        }

        parts.Add(Source is { } source ? $"from {source}" : "from all");
        if (Destination is { } destination)
        {
            parts.Add($"to {destination}");
        }

        if (FwMark is { } mark)
        {
            parts.Add(FwMask is { } mask ? $"fwmark 0x{mark:x}/0x{mask:x}" : $"fwmark 0x{mark:x}");
        }

        if (InputInterface is { } iif)
        {
            parts.Add($"iif {iif}");
        }

        if (OutputInterface is { } oif)
        {
            parts.Add($"oif {oif}");
        }

        parts.Add(Action == RuleAction.ToTable ? $"lookup {Table}" : Action.ToString().ToLowerInvariant());
        return string.Join(' ', parts);
    }
}
