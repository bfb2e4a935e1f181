using System.Text;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Diagnostics.Topology;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// Berth's own <c>GET /berth/topology[?format=json|text|svg|html]</c>: the host's networks, containers, ports and swarm
/// as <c>berth topology</c> shows them, taken fresh for each request. Without <c>format</c> a browser (asking for
/// text/html) gets the page, anything else JSON. 400 for a format that is none of these, naming them.
/// </summary>
internal sealed partial class TopologyEndpoints(TopologyBuilder builder)
{
    /// <summary>How often the served page reloads itself, so an open tab follows the host.</summary>
    public const int HtmlRefreshSeconds = 10;

    private static readonly string[] Formats = ["json", "text", "svg", "html"];

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/berth/topology", RenderAsync);

    private async Task RenderAsync(HttpContext context)
    {
        string format = context.Request.Query.TryGetValue("format", out var f) && !string.IsNullOrEmpty(f) ? f.ToString()
            : context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) ? "html" : "json";
        if (!Formats.Contains(format, StringComparer.Ordinal))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"unknown topology format \"{format}\"; use one of {string.Join(", ", Formats)}");
        }

        var topology = await builder.BuildAsync(context.RequestAborted).ConfigureAwait(false);
        if (format == "json")
        {
            await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, ToContract(topology), DockerJson.Context.TopologyReport).ConfigureAwait(false);
            return;
        }

        (string body, string contentType) = format switch
        {
            "text" => (TopologyText.Render(topology), "text/plain; charset=utf-8"),
            "svg" => (TopologySvg.Render(topology), "image/svg+xml; charset=utf-8"),
            _ => (TopologyHtml.Render(topology, HtmlRefreshSeconds), "text/html; charset=utf-8"),
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).ConfigureAwait(false);
    }
}
