using System.Collections.Immutable;
using Berth.Api.Http;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints.Unserved;

/// <summary>
/// Plugins: Berth's drivers are built in and it runs no managed plugins, so it answers as a Docker daemon with
/// none installed — an empty list, and moby's <c>plugin "NAME" not found</c> (404) for any plugin named.
/// Installing one (pull, create, the registry's privilege list) is refused with 501.
/// </summary>
internal static partial class UnservedRoutes
{
    private const string PluginName = "name";

    private static ImmutableArray<UnservedRoute> Plugins =>
    [
        new(HttpMethods.Get, "/plugins", StatusCodes.Status200OK, ListPluginsAsync),
        UnservedRoute.NotYet(HttpMethods.Get, "/plugins/privileges", "installing plugins", "Berth's network and volume drivers are built in"),
        UnservedRoute.NotYet(HttpMethods.Post, "/plugins/pull", "installing plugins", "Berth's network and volume drivers are built in"),
        UnservedRoute.NotYet(HttpMethods.Post, "/plugins/create", "installing plugins", "Berth's network and volume drivers are built in"),

        // Plugin names hold slashes (vieux/sshfs:latest), so the action is split off the end, as moby's {name:.*} does.
        new(HttpMethods.Get, $"/plugins/{{**{PluginName}}}", StatusCodes.Status404NotFound, context => PluginAction(context, "json")),
        new(HttpMethods.Post, $"/plugins/{{**{PluginName}}}", StatusCodes.Status404NotFound, context => PluginAction(context, "enable", "disable", "upgrade", "push", "set")),
        new(HttpMethods.Delete, $"/plugins/{{**{PluginName}}}", StatusCodes.Status404NotFound, context => PluginAction(context)),
    ];

    /// <summary>No plugin is ever installed, whatever the filters ask for.</summary>
    private static Task ListPluginsAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = DockerJson.ContentType;
        return context.Response.WriteAsync("[]\n", context.RequestAborted);
    }

    /// <summary>
    /// <c>vieux/sshfs:latest/enable</c>: an action of <paramref name="actions"/> on a plugin that does not exist
    /// (404 naming it); no action expected (<c>DELETE</c>): the whole rest is the name. Any other path is moby's
    /// plain 404.
    /// </summary>
    private static Task PluginAction(HttpContext context, params string[] actions)
    {
        string rest = Uri.UnescapeDataString(context.GetRouteValue(PluginName)?.ToString() ?? "");
        string name = rest;
        if (actions.Length > 0)
        {
            int slash = rest.LastIndexOf('/');
            if (slash <= 0 || !actions.Contains(rest[(slash + 1)..], StringComparer.Ordinal))
            {
                throw new BerthException(ErrorKind.NotFound, "page not found");
            }

            name = rest[..slash];
        }

        throw new BerthException(ErrorKind.NotFound, $"plugin \"{name}\" not found");
    }
}
