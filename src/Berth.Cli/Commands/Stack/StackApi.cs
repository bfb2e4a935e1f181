using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Contracts;
using Berth.Cli.Client;

namespace Berth.Cli.Commands.Stack;

/// <summary>The Docker API calls of <c>berth stack</c>, typed; each list is one stack's objects, found by its namespace label.</summary>
internal sealed class StackApi(DaemonClient client)
{
    public async Task<bool> IsManagerAsync(CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Get, "/info", cancellationToken: cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.InfoResponse)?.Swarm.ControlAvailable == true;
    }

    /// <summary><c>GET /services</c> with the given filters (<c>k=v</c>, as <c>-f</c> takes them) and, for tables, the replica counts.</summary>
    public async Task<List<Service>> ServicesAsync(IReadOnlyList<string> filters, bool status, CancellationToken cancellationToken)
    {
        var path = "/services?filters=" + Uri.EscapeDataString(KeyValueArguments.FiltersJson(filters)!) + (status ? "&status=true" : "");
        return await GetAsync(path, DockerJsonContext.Default.ListService, cancellationToken).ConfigureAwait(false) ?? [];
    }

    public Task<List<Service>> StackServicesAsync(string stack, CancellationToken cancellationToken) =>
        ServicesAsync([StackLabels.Filter(stack)], status: false, cancellationToken);

    public async Task<List<Network>> StackNetworksAsync(string stack, CancellationToken cancellationToken) =>
        await GetAsync("/networks?filters=" + StackFilter(stack), DockerJsonContext.Default.ListNetwork, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary><c>GET /secrets</c> or <c>/configs</c> of a stack (<paramref name="kind"/> is <c>secrets</c> or <c>configs</c>).</summary>
    public async Task<List<SwarmObject>> StackObjectsAsync(string kind, string stack, CancellationToken cancellationToken) =>
        await GetAsync($"/{kind}?filters=" + StackFilter(stack), StackJsonContext.Default.ListSwarmObject, cancellationToken).ConfigureAwait(false) ?? [];

    public async Task<List<SwarmTask>> TasksAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken) =>
        await GetAsync("/tasks?filters=" + Uri.EscapeDataString(KeyValueArguments.FiltersJson(filters)!), DockerJsonContext.Default.ListSwarmTask, cancellationToken)
            .ConfigureAwait(false) ?? [];

    public async Task<List<Node>> NodesAsync(CancellationToken cancellationToken) =>
        await GetAsync("/nodes", DockerJsonContext.Default.ListNode, cancellationToken).ConfigureAwait(false) ?? [];

    public Task<Service?> ServiceAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync("/services/" + Uri.EscapeDataString(id), DockerJsonContext.Default.Service, cancellationToken);

    public Task<Node?> NodeAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync("/nodes/" + Uri.EscapeDataString(id), DockerJsonContext.Default.Node, cancellationToken);

    public Task<Network?> NetworkAsync(string name, CancellationToken cancellationToken) =>
        GetOrNullAsync("/networks/" + Uri.EscapeDataString(name), DockerJsonContext.Default.Network, cancellationToken);

    public Task<SwarmObject?> StackObjectAsync(string kind, string name, CancellationToken cancellationToken) =>
        GetOrNullAsync($"/{kind}/" + Uri.EscapeDataString(name), StackJsonContext.Default.SwarmObject, cancellationToken);

    /// <summary><c>GET /distribution/{image}/json</c>: the registry's digest and platforms, or null with the daemon's reason when it cannot be asked.</summary>
    public async Task<DistributionInspect?> DistributionAsync(string image, string? registryAuth, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(HttpMethod.Get, $"/distribution/{image}/json", null, Headers(registryAuth), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.DistributionInspect);
        }
        catch (DaemonErrorException)
        {
            return null;
        }
    }

    public Task CreateNetworkAsync(NetworkCreateClientRequest request, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Post, "/networks/create", JsonSerializer.SerializeToUtf8Bytes(request, CliJsonContext.Default.NetworkCreateClientRequest), cancellationToken);

    public Task CreateObjectAsync(string kind, StackFileObjectSpec spec, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Post, $"/{kind}/create", JsonSerializer.SerializeToUtf8Bytes(spec, StackJsonContext.Default.StackFileObjectSpec), cancellationToken);

    public Task UpdateObjectAsync(string kind, SwarmObject existing, StackFileObjectSpec spec, CancellationToken cancellationToken) =>
        client.SendAsync(HttpMethod.Post, $"/{kind}/{Uri.EscapeDataString(existing.ID)}/update?version={existing.Version.Index.ToString(CultureInfo.InvariantCulture)}",
            JsonSerializer.SerializeToUtf8Bytes(spec, StackJsonContext.Default.StackFileObjectSpec), cancellationToken);

    /// <remarks><paramref name="registryAuth"/>: <c>--with-registry-auth</c>'s header for the service's image (null: none sent).</remarks>
    public async Task<ServiceCreateResponse> CreateServiceAsync(byte[] body, string? registryAuth, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Post, "/services/create", body, Headers(registryAuth), cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ServiceCreateResponse) ?? new ServiceCreateResponse();
    }

    public async Task<ServiceUpdateResponse> UpdateServiceAsync(Service existing, byte[] body, string? registryAuth, CancellationToken cancellationToken)
    {
        var path = $"/services/{Uri.EscapeDataString(existing.ID)}/update?version={existing.Version.Index.ToString(CultureInfo.InvariantCulture)}";
        var response = await client.SendAsync(HttpMethod.Post, path, body, Headers(registryAuth), cancellationToken).ConfigureAwait(false);
        return response.Body.Length == 0 ? new ServiceUpdateResponse() : JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ServiceUpdateResponse) ?? new ServiceUpdateResponse();
    }

    private static Dictionary<string, string>? Headers(string? registryAuth) =>
        registryAuth is null ? null : new Dictionary<string, string> { [Registry.RegistryAuthHeader.Name] = registryAuth };

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => client.SendAsync(HttpMethod.Delete, path, cancellationToken: cancellationToken);

    /// <summary>A service's request body: the spec, with the secret and config references (ids looked up) in its container spec.</summary>
    public static byte[] ServiceBody(ServiceSpecContract spec, IReadOnlyList<JsonObject> secrets, IReadOnlyList<JsonObject> configs)
    {
        var node = JsonSerializer.SerializeToNode(spec, DockerJsonContext.Default.ServiceSpecContract)!;
        if (node["TaskTemplate"]?["ContainerSpec"] is JsonObject container)
        {
            if (secrets.Count > 0)
            {
                container["Secrets"] = new JsonArray([.. secrets]);
            }

            if (configs.Count > 0)
            {
                container["Configs"] = new JsonArray([.. configs]);
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, JsonNodeContext.Default.JsonNode);
    }

    private static string StackFilter(string stack) => Uri.EscapeDataString(KeyValueArguments.FiltersJson([StackLabels.Filter(stack)])!);

    private async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, type);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetAsync(path, type, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound)
        {
            return null;
        }
    }
}
