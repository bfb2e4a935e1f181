using System.Globalization;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Client;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

/// <summary>The Docker API calls the compose engine makes, typed; a 404 where "not there" is an answer comes back as null.</summary>
internal sealed class ComposeApi(DaemonClient client)
{
    public DaemonClient Client { get; } = client;

    /// <summary>The project's containers, stopped ones too, found by label as docker-compose finds them (so its containers count).</summary>
    public async Task<List<ContainerSummary>> ContainersAsync(string project, bool? oneOff, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString(ProjectPlan.ContainerFilter(project, oneOff));
        var response = await Client.SendAsync(HttpMethod.Get, "/containers/json?all=1&filters=" + filters, cancellationToken: cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ListContainerSummary) ?? [];
    }

    public async Task<List<ExistingContainer>> ExistingAsync(string project, bool? oneOff, CancellationToken cancellationToken) =>
        [.. (await ContainersAsync(project, oneOff, cancellationToken).ConfigureAwait(false)).Select(ExistingContainer.FromSummary)];

    public async Task<ContainerInspect> InspectAsync(string id, CancellationToken cancellationToken)
    {
        var response = await Client.SendAsync(HttpMethod.Get, ContainerPath(id, "/json"), cancellationToken: cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ContainerInspect) ?? throw new JsonException("empty container inspect");
    }

    public Task<Network?> NetworkAsync(string name, CancellationToken cancellationToken) =>
        GetOrNullAsync("/networks/" + Uri.EscapeDataString(name), DockerJsonContext.Default.Network, cancellationToken);

    public Task CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, "/networks/create", JsonSerializer.SerializeToUtf8Bytes(request, ComposeJsonContext.Default.NetworkCreateRequest), cancellationToken);

    /// <returns>False when it was not there.</returns>
    public Task<bool> RemoveNetworkAsync(string name, CancellationToken cancellationToken) =>
        DeleteIfPresentAsync("/networks/" + Uri.EscapeDataString(name), cancellationToken);

    public Task<Volume?> VolumeAsync(string name, CancellationToken cancellationToken) =>
        GetOrNullAsync("/volumes/" + Uri.EscapeDataString(name), DockerJsonContext.Default.Volume, cancellationToken);

    public Task CreateVolumeAsync(VolumeCreateRequest request, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, "/volumes/create", JsonSerializer.SerializeToUtf8Bytes(request, ComposeJsonContext.Default.VolumeCreateRequest), cancellationToken);

    /// <returns>False when it was not there.</returns>
    public Task<bool> RemoveVolumeAsync(string name, CancellationToken cancellationToken) =>
        DeleteIfPresentAsync("/volumes/" + Uri.EscapeDataString(name), cancellationToken);

    /// <summary>A GET whose 404 means "not there": null then.</summary>
    private async Task<T?> GetOrNullAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var response = await Client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(response.Body, type);
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound)
        {
            return null;
        }
    }

    /// <summary>A DELETE whose 404 means "already gone": false then.</summary>
    private async Task<bool> DeleteIfPresentAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await Client.SendAsync(HttpMethod.Delete, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound)
        {
            return false;
        }
    }

    /// <returns>The image's id, or null when the daemon does not have it.</returns>
    public async Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client.SendAsync(HttpMethod.Get, "/images/" + Uri.EscapeDataString(image) + "/json", cancellationToken: cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(response.Body);
            return document.RootElement.TryGetProperty("Id", out var id) ? id.GetString() : null;
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound)
        {
            return null;
        }
    }

    public async Task<string> CreateContainerAsync(string name, ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ComposeJsonContext.Default.ContainerCreateRequest);
        var response = await Client.SendAsync(HttpMethod.Post, "/containers/create?name=" + Uri.EscapeDataString(name), body, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.ContainerCreateResponse)?.Id ?? throw new JsonException("container create answered without an Id");
    }

    public Task ConnectAsync(string network, NetworkConnectRequest request, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, "/networks/" + Uri.EscapeDataString(network) + "/connect", JsonSerializer.SerializeToUtf8Bytes(request, ComposeJsonContext.Default.NetworkConnectRequest), cancellationToken);

    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, ContainerPath(id, "/start"), cancellationToken: cancellationToken);

    public Task StopAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, ContainerPath(id, "/stop") + TimeoutQuery(timeoutSeconds), cancellationToken: cancellationToken);

    public Task RestartAsync(string id, int? timeoutSeconds, CancellationToken cancellationToken) =>
        Client.SendAsync(HttpMethod.Post, ContainerPath(id, "/restart") + TimeoutQuery(timeoutSeconds), cancellationToken: cancellationToken);

    /// <summary>Removes a container (with <paramref name="volumes"/> its anonymous volumes); gone already is fine (an auto-removed one-off).</summary>
    public async Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken, bool volumes = false)
    {
        try
        {
            var query = string.Join('&', new[] { force ? "force=1" : null, volumes ? "v=1" : null }.OfType<string>());
            await Client.SendAsync(HttpMethod.Delete, ContainerPath(id, query.Length == 0 ? "" : "?" + query), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e) when (e.StatusCode == DaemonErrorException.NotFound)
        {
        }
    }

    public static string ContainerPath(string id, string suffix = "") => "/containers/" + Uri.EscapeDataString(id) + suffix;

    private static string TimeoutQuery(int? seconds) => seconds is { } t ? "?t=" + t.ToString(CultureInfo.InvariantCulture) : "";
}
