using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Secrets;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.SwarmMode;

/// <summary>
/// <c>/secrets</c> and <c>/configs</c> (moby <c>api/server/router/swarm</c>) over <see cref="ISecrets"/>, which answers
/// Docker's errors itself (404, 409 for a name in use, 400 for a bad spec, a stale version or one in use, 503 off a
/// manager). Both kinds have one shape; a secret's data never goes back out.
/// </summary>
internal sealed class SecretAndConfigEndpoints(ISecrets secrets)
{
    private const string IdRouteValue = "id";

    /// <summary>moby <c>newListSecretsFilters</c>/<c>newListConfigsFilters</c>.</summary>
    private static readonly HashSet<string> AcceptedFilters = ["names", "name", "id", "label"];

    public void Map(IEndpointRouteBuilder routes)
    {
        foreach (SecretKind kind in (SecretKind[])[SecretKind.Secret, SecretKind.Config])
        {
            string plural = $"/{kind.Name()}s";
            routes.MapGet(plural, context => ListAsync(context, kind));
            routes.MapPost($"{plural}/create", context => CreateAsync(context, kind));
            routes.MapGet($"{plural}/{{{IdRouteValue}}}", context => InspectAsync(context, kind));
            routes.MapPost($"{plural}/{{{IdRouteValue}}}/update", context => UpdateAsync(context, kind));
            routes.MapDelete($"{plural}/{{{IdRouteValue}}}", context => RemoveAsync(context, kind));
        }
    }

    /// <summary>swarmkit's list filters: each kind of filter any-of, all kinds together; <c>names</c> exact, <c>name</c> and <c>id</c> prefixes.</summary>
    private async Task ListAsync(HttpContext context, SecretKind kind)
    {
        var filters = FilterArgs.Parse(context.Request.Query["filters"]);
        filters.Validate(AcceptedFilters);
        var all = await secrets.ListAsync(kind, context.RequestAborted);
        List<SwarmSecret> listed =
        [
            .. all.Where(view => filters.MatchAny("names", term => view.Record.Name == term)
                    && filters.MatchAny("name", term => view.Record.Name.StartsWith(term, StringComparison.Ordinal))
                    && filters.MatchAny("id", term => view.Record.Id.Value.StartsWith(term, StringComparison.Ordinal))
                    && filters.MatchLabels("label", view.Record.Labels))
                .Select(ToContract),
        ];
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, listed, DockerJson.Context.ListSwarmSecret);
    }

    /// <summary>201 <c>{"ID"}</c>. A spec without a name gets none: swarmkit's "name must be provided".</summary>
    private async Task CreateAsync(HttpContext context, SecretKind kind)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.SecretSpecContract);
        var id = await secrets.CreateAsync(kind, ToModel(request, kind), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, new SecretCreateResponse { ID = id.Value }, DockerJson.Context.SecretCreateResponse);
    }

    private async Task InspectAsync(HttpContext context, SecretKind kind)
    {
        var view = await secrets.GetAsync(kind, RouteId(context), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, ToContract(view), DockerJson.Context.SwarmSecret);
    }

    private async Task UpdateAsync(HttpContext context, SecretKind kind)
    {
        long version = SwarmObjectVersion.Parse(context.Request, kind.Name());
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.SecretSpecContract);
        await secrets.UpdateAsync(kind, RouteId(context), version, ToModel(request, kind), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task RemoveAsync(HttpContext context, SecretKind kind)
    {
        await secrets.RemoveAsync(kind, RouteId(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>An external secret driver or templating is refused: Berth keeps the data itself and expands nothing.</summary>
    internal static SecretSpec ToModel(SecretSpecContract request, SecretKind kind)
    {
        if (request.Driver is not null)
        {
            throw new BerthException(ErrorKind.NotSupported, $"{kind.Name()} drivers are not supported by Berth (Driver {request.Driver.Name}): give the data itself");
        }

        if (request.Templating is not null)
        {
            throw new BerthException(ErrorKind.NotSupported, $"{kind.Name()} templating is not supported by Berth (Templating {request.Templating.Name}): give the data as it should be seen");
        }

        return new SecretSpec(request.Name ?? "", request.Data)
        {
            Labels = (request.Labels ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    internal static SwarmSecret ToContract(SecretView view) => new()
    {
        ID = view.Record.Id.Value,
        Version = new ObjectVersion { Index = (ulong)view.Version },
        CreatedAt = Rfc3339.FormatNano(view.Record.CreatedAt),
        UpdatedAt = Rfc3339.FormatNano(view.Record.UpdatedAt),
        Spec = new SecretSpecContract
        {
            Name = view.Record.Name,
            Labels = new Dictionary<string, string>(view.Record.Labels),
            Data = view.Data,
        },
    };

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues[IdRouteValue]!;
}
