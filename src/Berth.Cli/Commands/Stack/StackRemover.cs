using Berth.Api.Contracts;
using Berth.Cli.Client;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// docker's removal of a stack's objects: services (by name), secrets, configs, then networks, each announced; a failure is
/// reported (in docker's words, without a newline, as docker writes it) and the rest goes on.
/// </summary>
internal static class StackRemover
{
    /// <returns>True when one failed.</returns>
    public static async Task<bool> RemoveServicesAsync(StackApi api, IEnumerable<Service> services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var failed = false;
        foreach (var service in services.OrderBy(s => s.Spec.Name, StringComparer.Ordinal))
        {
            await output.WriteLineAsync("Removing service " + service.Spec.Name).ConfigureAwait(false);
            failed |= !await TryDeleteAsync(api, "/services/" + Uri.EscapeDataString(service.ID), $"Failed to remove service {service.ID}", error, cancellationToken).ConfigureAwait(false);
        }

        return failed;
    }

    /// <returns>True when one failed; false when all went, or the stack had nothing (then "Nothing found in stack" was said).</returns>
    public static async Task<bool> RemoveStackAsync(StackApi api, string stack, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var services = await api.StackServicesAsync(stack, cancellationToken).ConfigureAwait(false);
        var networks = await api.StackNetworksAsync(stack, cancellationToken).ConfigureAwait(false);
        var secrets = await api.StackObjectsAsync("secrets", stack, cancellationToken).ConfigureAwait(false);
        var configs = await api.StackObjectsAsync("configs", stack, cancellationToken).ConfigureAwait(false);
        if (services.Count + networks.Count + secrets.Count + configs.Count == 0)
        {
            await error.WriteLineAsync("Nothing found in stack: " + stack).ConfigureAwait(false);
            return false;
        }

        var failed = await RemoveServicesAsync(api, services, output, error, cancellationToken).ConfigureAwait(false);
        foreach (var (kind, objects) in new[] { ("secret", secrets), ("config", configs) })
        {
            foreach (var item in objects)
            {
                await output.WriteLineAsync($"Removing {kind} {item.Spec.Name}").ConfigureAwait(false);
                failed |= !await TryDeleteAsync(api, $"/{kind}s/{Uri.EscapeDataString(item.ID)}", $"Failed to remove {kind} {item.ID}", error, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var network in networks)
        {
            await output.WriteLineAsync("Removing network " + network.Name).ConfigureAwait(false);
            failed |= !await TryDeleteAsync(api, "/networks/" + Uri.EscapeDataString(network.Id), $"Failed to remove network {network.Id}", error, cancellationToken).ConfigureAwait(false);
        }

        return failed;
    }

    private static async Task<bool> TryDeleteAsync(StackApi api, string path, string failure, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await api.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DaemonErrorException e)
        {
            await error.WriteAsync($"{failure}: Error response from daemon: {e.Message}").ConfigureAwait(false);
            return false;
        }
    }
}
