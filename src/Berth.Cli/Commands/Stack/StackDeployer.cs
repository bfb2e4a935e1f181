using System.Text.Json.Nodes;
using Berth.Api.Contracts;
using Berth.Cli.Client;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// Applies a <see cref="StackPlan"/> as docker's CLI does, in an order that makes nothing when the daemon refuses secrets or
/// configs: checks the node is a manager, prunes, checks external networks, creates or updates secrets and configs, creates
/// the missing networks, then updates each existing service (its version sent, <c>ForceUpdate</c> kept) or creates it.
/// </summary>
/// <remarks><paramref name="registryAuth"/>: <c>--with-registry-auth</c>, the header for an image (null when the config file has none); null: none sent.</remarks>
internal sealed class StackDeployer(StackApi api, TextWriter output, TextWriter error, Func<string, string?>? registryAuth = null)
{
    private const string NotManager =
        "this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again";

    /// <returns>The services' ids, for <c>--detach=false</c>.</returns>
    public async Task<List<string>> DeployAsync(StackPlan plan, bool prune, string resolveImage, CancellationToken cancellationToken)
    {
        if (!await api.IsManagerAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new StatusException(ExitCodes.Failure, NotManager);
        }

        if (prune)
        {
            var gone = (await api.StackServicesAsync(plan.Namespace, cancellationToken).ConfigureAwait(false))
                .Where(s => !plan.Services.ContainsKey(s.Spec.Name![(plan.Namespace.Length + 1)..])).ToList();
            await StackRemover.RemoveServicesAsync(api, gone, output, error, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in plan.ExternalNetworks.Where(n => n is not ("default" or "bridge" or "host" or "none")))
        {
            var network = await api.NetworkAsync(name, cancellationToken).ConfigureAwait(false);
            if (network is null)
            {
                throw new StatusException(ExitCodes.Failure,
                    $"network \"{name}\" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed");
            }

            if (network.Scope != "swarm")
            {
                throw new StatusException(ExitCodes.Failure,
                    $"network \"{name}\" is declared as external, but it is not in the right scope: \"{network.Scope}\" instead of \"swarm\"");
            }
        }

        await CreateObjectsAsync("secret", plan.Secrets, cancellationToken).ConfigureAwait(false);
        await CreateObjectsAsync("config", plan.Configs, cancellationToken).ConfigureAwait(false);
        await CreateNetworksAsync(plan, cancellationToken).ConfigureAwait(false);
        return await DeployServicesAsync(plan, resolveImage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Until every service runs as many tasks as it wants (a job: until none is left to run).</summary>
    /// <summary>
    /// <c>--detach=false</c>: each service's convergence shown as docker shows it (<see cref="ServiceProgress"/>), one after
    /// the other; <paramref name="quiet"/> waits without showing it. Failures are collected and reported at the end.
    /// </summary>
    public async Task WaitAsync(IReadOnlyList<string> serviceIds, bool quiet, bool terminal, int width, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var id in serviceIds)
        {
            try
            {
                await new ServiceProgress(api, new ProgressLines(quiet ? TextWriter.Null : output, terminal && !quiet, width)).WaitAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (StatusException e)
            {
                failures.Add($"{id}: {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new StatusException(ExitCodes.Failure, string.Join("\n", failures));
        }
    }

    private async Task CreateObjectsAsync(string kind, IEnumerable<StackFileObjectSpec> specs, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            var existing = await api.StackObjectAsync(kind + "s", spec.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is not null)
                {
                    await api.UpdateObjectAsync(kind + "s", existing, spec, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await output.WriteLineAsync($"Creating {kind} {spec.Name}").ConfigureAwait(false);
                await api.CreateObjectAsync(kind + "s", spec, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                throw new StatusException(ExitCodes.Failure,
                    $"failed to {(existing is null ? "create" : "update")} {kind} {spec.Name}: Error response from daemon: {e.Message}");
            }
        }
    }

    private async Task CreateNetworksAsync(StackPlan plan, CancellationToken cancellationToken)
    {
        var existing = (await api.StackNetworksAsync(plan.Namespace, cancellationToken).ConfigureAwait(false)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, request) in plan.Networks.Where(n => !existing.Contains(n.Key)))
        {
            await output.WriteLineAsync("Creating network " + name).ConfigureAwait(false);
            try
            {
                await api.CreateNetworkAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                throw new StatusException(ExitCodes.Failure, $"failed to create network {name}: Error response from daemon: {e.Message}");
            }
        }
    }

    private async Task<List<string>> DeployServicesAsync(StackPlan plan, string resolveImage, CancellationToken cancellationToken)
    {
        var existing = (await api.StackServicesAsync(plan.Namespace, cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Spec.Name ?? "", StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var service in plan.Services.Values)
        {
            var spec = service.Spec;
            var secrets = await ReferencesAsync("secret", service.Secrets, cancellationToken).ConfigureAwait(false);
            var configs = await ReferencesAsync("config", service.Configs, cancellationToken).ConfigureAwait(false);
            // docker/cli's stack deploy: the credentials of the image as the file names it, before any digest is pinned.
            string? auth = registryAuth?.Invoke(spec.TaskTemplate!.ContainerSpec!.Image ?? "");
            if (existing.TryGetValue(service.Name, out var current))
            {
                await output.WriteLineAsync($"Updating service {service.Name} (id: {current.ID})").ConfigureAwait(false);
                string? warning = null;
                var unchanged = service.Image == current.Spec.Labels?.GetValueOrDefault(StackLabels.Image);
                if (resolveImage == StackDeployCommand.ResolveAlways || (resolveImage == StackDeployCommand.ResolveChanged && !unchanged))
                {
                    warning = await ResolveImageAsync(spec, auth, cancellationToken).ConfigureAwait(false);
                }
                else if (unchanged)
                {
                    // The image the swarm pinned last time (with its digest) stays, so an unchanged file changes nothing.
                    spec.TaskTemplate!.ContainerSpec!.Image = current.Spec.TaskTemplate?.ContainerSpec?.Image;
                }

                spec.TaskTemplate!.ForceUpdate = current.Spec.TaskTemplate?.ForceUpdate ?? 0;
                ServiceUpdateResponse response;
                try
                {
                    response = await api.UpdateServiceAsync(current, StackApi.ServiceBody(spec, secrets, configs), auth, cancellationToken).ConfigureAwait(false);
                }
                catch (DaemonErrorException e)
                {
                    throw new StatusException(ExitCodes.Failure, $"failed to update service {service.Name}: Error response from daemon: {e.Message}");
                }

                // docker's client adds the image warning to the daemon's; the CLI prints them for an update only.
                foreach (var line in (warning is null ? [] : new[] { warning }).Concat(response.Warnings ?? []))
                {
                    await error.WriteLineAsync(line).ConfigureAwait(false);
                }

                ids.Add(current.ID);
            }
            else
            {
                await output.WriteLineAsync("Creating service " + service.Name).ConfigureAwait(false);
                if (resolveImage != StackDeployCommand.ResolveNever)
                {
                    await ResolveImageAsync(spec, auth, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    ids.Add((await api.CreateServiceAsync(StackApi.ServiceBody(spec, secrets, configs), auth, cancellationToken).ConfigureAwait(false)).ID);
                }
                catch (DaemonErrorException e)
                {
                    throw new StatusException(ExitCodes.Failure, $"failed to create service {service.Name}: Error response from daemon: {e.Message}");
                }
            }
        }

        return ids;
    }

    /// <summary>
    /// <c>--resolve-image</c>: the registry's digest pinned to the image and its platforms made placement constraints, as
    /// docker's client does; when the registry cannot be asked, the image stays as written and docker's warning is returned.
    /// </summary>
    private async Task<string?> ResolveImageAsync(ServiceSpecContract spec, string? auth, CancellationToken cancellationToken)
    {
        var container = spec.TaskTemplate!.ContainerSpec!;
        var image = container.Image ?? "";
        var inspect = await api.DistributionAsync(image, auth, cancellationToken).ConfigureAwait(false);
        if (inspect is null || inspect.Descriptor.Digest.Length == 0)
        {
            return $"image {image} could not be accessed on a registry to record\nits digest. Each node will access {image} independently,\n" +
                "possibly leading to different nodes running different\nversions of the image.\n";
        }

        container.Image = image.Contains('@', StringComparison.Ordinal) ? image : image + "@" + inspect.Descriptor.Digest;
        if (inspect.Platforms.Count > 0)
        {
            // docker leaves arm's architecture out: images say "arm" where nodes say "armv7l".
            spec.TaskTemplate.Placement!.Platforms =
                [.. inspect.Platforms.Select(p => new NodePlatform { Architecture = p.Architecture.Equals("arm", StringComparison.OrdinalIgnoreCase) ? "" : p.Architecture, OS = p.Os })];
        }

        return null;
    }

    /// <summary>Each reference with its object's id (by name), as docker's <c>ParseSecrets</c>/<c>ParseConfigs</c> look them up.</summary>
    private async Task<List<JsonObject>> ReferencesAsync(string kind, IEnumerable<StackFileReference> references, CancellationToken cancellationToken)
    {
        var result = new List<JsonObject>();
        foreach (var reference in references)
        {
            var found = await api.StackObjectAsync(kind + "s", reference.ObjectName, cancellationToken).ConfigureAwait(false)
                ?? throw new StatusException(ExitCodes.Failure, $"{kind} not found: {reference.ObjectName}");
            var prefix = kind == "secret" ? "Secret" : "Config";
            result.Add(new JsonObject
            {
                ["File"] = new JsonObject { ["Name"] = reference.FileName, ["UID"] = reference.Uid, ["GID"] = reference.Gid, ["Mode"] = reference.Mode },
                [prefix + "ID"] = found.ID,
                [prefix + "Name"] = reference.ObjectName,
            });
        }

        return result;
    }
}
