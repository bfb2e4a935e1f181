using Berth.Api.Contracts.Diagnostics;
using Berth.Api.Http;
using Berth.Diagnostics.Doctor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// Berth's own <c>GET /berth/doctor[?network=NAME|container=NAME]</c>: the checks of <c>berth doctor</c>, run by berthd
/// (which sees the kernel, the firewall and the store). 404 as Docker's for a network or container that is not there,
/// 400 for both at once.
/// </summary>
internal sealed class DoctorEndpoints(Doctor doctor)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/berth/doctor", RunAsync);

    private async Task RunAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? network = query.TryGetValue("network", out var n) && !string.IsNullOrEmpty(n) ? n.ToString() : null;
        string? container = query.TryGetValue("container", out var c) && !string.IsNullOrEmpty(c) ? c.ToString() : null;
        var findings = await doctor.RunAsync(network, container, context.RequestAborted).ConfigureAwait(false);
        var report = new DoctorReport { Findings = [.. findings.Select(ToContract)] };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, report, DockerJson.Context.DoctorReport).ConfigureAwait(false);
    }

    internal static DoctorFindingContract ToContract(DoctorFinding finding) => new()
    {
        Check = finding.Check,
        Subject = finding.Subject,
        Status = finding.Status switch
        {
            DoctorStatus.Ok => "ok",
            DoctorStatus.Warning => "warning",
            _ => "problem",
        },
        Found = finding.Found,
        Fix = finding.Fix,
    };
}
