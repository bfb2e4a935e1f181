using System.Net;
using System.Net.Sockets;

namespace Berth.Linux.Rules;

/// <summary>A policy routing rule as the kernel reports it.</summary>
public sealed record RuleInfo
{
    public AddressFamily Family { get; init; }

    public int Priority { get; init; }

    public uint? FwMark { get; init; }

    public uint? FwMask { get; init; }

    public IPNetwork? Source { get; init; }

    public IPNetwork? Destination { get; init; }

    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public int Table { get; init; }

    public RuleAction Action { get; init; }
}
