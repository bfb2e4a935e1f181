namespace Berth.Api.Contracts.Diagnostics;

/// <summary><c>GET /berth/doctor</c>: every finding of every check, in the checks' order.</summary>
public sealed class DoctorReport
{
    public List<DoctorFindingContract> Findings { get; set; } = [];
}

/// <summary>One finding: <c>Status</c> is <c>ok</c>, <c>warning</c> or <c>problem</c>; <c>Fix</c> a command, or null.</summary>
public sealed class DoctorFindingContract
{
    public string Check { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Status { get; set; } = "";

    public string Found { get; set; } = "";

    public string? Fix { get; set; }
}
