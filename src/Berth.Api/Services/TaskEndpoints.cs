using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Services;

/// <summary>
/// <c>GET /tasks</c> and <c>GET /tasks/{id}</c> over <see cref="IServices"/> (404 <c>task X not found</c>, 503 off a
/// manager). <c>/tasks/{id}/logs</c> is not served here.
/// </summary>
internal sealed class TaskEndpoints(IServices services)
{
    private const string IdRouteValue = "id";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/tasks", ListAsync);
        routes.MapGet("/tasks/{id}", InspectAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        TaskFilter? filter = TaskListFilter.Create(FilterArgs.Parse(context.Request.Query["filters"]));
        IReadOnlyList<TaskView> tasks = filter is null ? [] : await services.ListTasksAsync(filter, context.RequestAborted);
        List<SwarmTask> listed = [.. tasks.Select(ServiceContractMapper.ToTask)];
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, listed, DockerJson.Context.ListSwarmTask);
    }

    private async Task InspectAsync(HttpContext context)
    {
        TaskView task = await services.GetTaskAsync((string)context.Request.RouteValues[IdRouteValue]!, context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, ServiceContractMapper.ToTask(task), DockerJson.Context.SwarmTask);
    }
}
