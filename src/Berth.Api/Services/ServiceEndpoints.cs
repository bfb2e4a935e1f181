using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Berth.Cluster.Services;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Berth.Runtime.Engine.Naming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Services;

/// <summary>
/// <c>/services</c> (moby <c>api/server/router/swarm</c>) over <see cref="IServices"/>, which answers Docker's errors
/// itself: 404 <c>service X not found</c>, 409 for a name in use, 400 for a bad spec or a stale version, 503 off a
/// manager. <c>/services/{id}/logs</c> is not served here.
/// </summary>
internal sealed class ServiceEndpoints(IServices services)
{
    private const string IdRouteValue = "id";

    /// <summary>moby reads <c>status</c> from API 1.41 and ignores it below.</summary>
    private static readonly ApiVersion StatusSince = new(1, 41);

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/services", ListAsync);
        routes.MapPost("/services/create", CreateAsync);
        routes.MapGet("/services/{id}", InspectAsync);
        routes.MapPost("/services/{id}/update", UpdateAsync);
        routes.MapDelete("/services/{id}", RemoveAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var filter = ServiceListFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]));
        ApiVersion version = context.Features.Get<RequestedApiVersion>()?.Version ?? ApiVersion.Maximum;
        bool status = version >= StatusSince && GoBool.Get(context.Request, "status");
        var all = await services.ListAsync(context.RequestAborted);
        List<Service> listed = [.. all.Where(view => filter.Matches(view.Record)).Select(view => ServiceContractMapper.ToService(view, insertDefaults: false, withStatus: status))];
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, listed, DockerJson.Context.ListService);
    }

    /// <summary>
    /// 201 <c>{ID, Warnings}</c>. A spec without a name gets a random one, as moby gives it; <c>X-Registry-Auth</c> (the
    /// CLI's <c>--with-registry-auth</c>) is kept sealed with the service, for its nodes' pulls.
    /// </summary>
    private async Task CreateAsync(HttpContext context)
    {
        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ServiceSpecContract);
        ServiceSpec spec = ServiceContractMapper.ToModel(request);
        if (spec.Name.Length == 0)
        {
            spec = spec with { Name = ContainerNameGenerator.Generate(_ => false) };
        }

        ServiceCreated created = await services.CreateAsync(spec, new RegistryAuthUpdate(RegistryAuthOf(context)), context.RequestAborted);
        var response = new ServiceCreateResponse { ID = created.Id.Value, Warnings = created.Warnings.Count > 0 ? [.. created.Warnings] : null };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status201Created, response, DockerJson.Context.ServiceCreateResponse);
    }

    private async Task InspectAsync(HttpContext context)
    {
        bool insertDefaults = GoBool.Get(context.Request, "insertDefaults");
        ServiceView view = await services.GetAsync(RouteId(context), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, ServiceContractMapper.ToService(view, insertDefaults, withStatus: false), DockerJson.Context.Service);
    }

    /// <summary>
    /// <c>?version=N</c> is required; <c>rollback=previous</c> puts the previous spec back (the body, which the CLI
    /// sends anyway, must still be JSON); a new <c>X-Registry-Auth</c> replaces the service's registry credentials,
    /// otherwise <c>registryAuthFrom</c> (<c>spec</c>, the default, or <c>previous-spec</c>) says whose are kept.
    /// </summary>
    private async Task UpdateAsync(HttpContext context)
    {
        long version = SwarmObjectVersion.Parse(context.Request, "service");
        string registryAuthFrom = context.Request.Query["registryAuthFrom"].ToString();
        if (registryAuthFrom is not ("" or "spec" or "previous-spec"))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid registryAuthFrom '{registryAuthFrom}'");
        }

        string rollbackQuery = context.Request.Query["rollback"].ToString();
        bool rollback = rollbackQuery switch
        {
            "" or "none" => false,
            "previous" => true,
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"unrecognized rollback option {rollbackQuery}: give rollback=previous, or leave it out"),
        };

        var request = await DockerJson.ReadAsync(context.Request, DockerJson.Context.ServiceSpecContract);
        ServiceSpec? spec = rollback ? null : ServiceContractMapper.ToModel(request);
        var registryAuth = new RegistryAuthUpdate(RegistryAuthOf(context), FromPreviousSpec: registryAuthFrom == "previous-spec");
        IReadOnlyList<string> warnings = await services.UpdateAsync(RouteId(context), version, spec, rollback, registryAuth, context.RequestAborted);
        var response = new ServiceUpdateResponse { Warnings = warnings.Count > 0 ? [.. warnings] : null };
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, response, DockerJson.Context.ServiceUpdateResponse);
    }

    private async Task RemoveAsync(HttpContext context)
    {
        await services.RemoveAsync(RouteId(context), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// The request's <c>X-Registry-Auth</c>, checked to be Docker's AuthConfig (a malformed one is a 400 here, not a task
    /// failure later) and kept as sent; null when absent or carrying no credentials.
    /// </summary>
    private static string? RegistryAuthOf(HttpContext context)
    {
        string header = context.Request.Headers["X-Registry-Auth"].ToString();
        return RegistryAuthConfig.FromHeader(header)?.Credentials() is null ? null : header.Trim();
    }

    private static string RouteId(HttpContext context) => (string)context.Request.RouteValues[IdRouteValue]!;
}
