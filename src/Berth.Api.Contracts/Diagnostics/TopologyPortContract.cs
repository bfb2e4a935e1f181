namespace Berth.Api.Contracts.Diagnostics;

/// <summary>A published port: <c>HostAddress:HostPort/Protocol</c> leads to <c>Target</c> of <c>Owner</c> through <c>Via</c>.</summary>
public sealed class TopologyPortContract
{
    public string Owner { get; set; } = "";

    public string HostAddress { get; set; } = "";

    public int HostPort { get; set; }

    public string Protocol { get; set; } = "";

    public string Target { get; set; } = "";

    public string Via { get; set; } = "";
}
