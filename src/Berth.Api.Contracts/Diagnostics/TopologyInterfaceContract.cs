namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A host interface: <c>Roles</c> among <c>default route</c>, <c>macvlan parent</c>, <c>bridge</c>; <c>Lower</c> the link it sits on.</summary>
public sealed class TopologyInterfaceContract
{
    public string Name { get; set; } = "";

    public List<string> Addresses { get; set; } = [];

    public string State { get; set; } = "";

    public int Mtu { get; set; }

    public List<string> Roles { get; set; } = [];

    public string? Lower { get; set; }
}
