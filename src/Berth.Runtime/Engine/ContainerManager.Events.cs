using System.Globalization;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Endpoints;

namespace Berth.Runtime.Engine;

/// <summary>
/// The container and network events of <c>GET /events</c>, as moby logs them: <c>create</c>, <c>start</c>,
/// <c>die</c> (with <c>exitCode</c>) and <c>rename</c> (with <c>oldName</c>) follow from the record's own
/// transitions (<see cref="SaveAsync"/>); <c>kill</c>, <c>stop</c>, <c>restart</c>, <c>destroy</c>,
/// <c>health_status: …</c> and a network's <c>connect</c>/<c>disconnect</c> are published where they happen.
/// </summary>
public sealed partial class ContainerManager
{
    /// <summary>Linux's signals 1–31 in order (signal(7), x86 and arm numbering).</summary>
    private static readonly string[] LinuxSignalNames =
        ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
         "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"];

    /// <summary>Where this manager's events go (and what <c>GET /events</c> reads).</summary>
    public EventHub Events { get; } = new();

    private void PublishTransition(ContainerRecord? before, ContainerRecord after)
    {
        if (before is null)
        {
            PublishContainerEvent(after, "create");
            return;
        }

        bool wasRunning = before.Status == ContainerStatus.Running;
        bool isRunning = after.Status == ContainerStatus.Running;
        if (!wasRunning && isRunning)
        {
            PublishContainerEvent(after, "start");
        }
        else if (wasRunning && !isRunning)
        {
            PublishContainerEvent(after, "die", ("exitCode", after.ExitCode.ToString(CultureInfo.InvariantCulture)));
        }

        if (before.Name != after.Name)
        {
            PublishContainerEvent(after, "rename", ("oldName", "/" + before.Name));
        }
    }

    private void PublishHealth(string id, HealthState? before, HealthState after)
    {
        // A monitor begins in "starting" without an event, as moby's does.
        if (before?.Status != after.Status && after.Status != HealthStatus.Starting && _containers.TryGetValue(id, out var record))
        {
            PublishContainerEvent(record, "health_status: " + after.Status.ToString().ToLowerInvariant());
        }
    }

    /// <summary>A kill event's <c>signal</c> attribute is the number, as moby writes it (<c>KILL</c>, <c>SIGKILL</c> and <c>9</c> give <c>9</c>).</summary>
    private static string SignalNumber(string signal)
    {
        string name = signal.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signal[3..] : signal;
        int index = Array.FindIndex(LinuxSignalNames, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? (index + 1).ToString(CultureInfo.InvariantCulture) : signal;
    }

    /// <summary>Attributes as moby's <c>LogContainerEventWithAttributes</c>: the labels, then <c>image</c> and <c>name</c>, then the event's own.</summary>
    private void PublishContainerEvent(ContainerRecord record, string action, params ReadOnlySpan<(string Key, string Value)> extra)
    {
        var attributes = new Dictionary<string, string>(record.Spec.Labels, StringComparer.Ordinal)
        {
            ["image"] = record.Spec.Image,
            ["name"] = record.Name,
        };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        Events.Publish("container", action, record.Id, attributes);
    }

    /// <summary>A network event for each of a container's endpoints (made at its start, released at its exit).</summary>
    private async Task PublishEndpointEventsAsync(string containerId, IEnumerable<EndpointState> endpoints, string action)
    {
        foreach (var endpoint in endpoints)
        {
            try
            {
                PublishNetworkEvent(await _endpoints.FindNetworkAsync(endpoint.NetworkId.Value).ConfigureAwait(false), action, containerId);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // The network went meanwhile: nothing to report it by.
            }
        }
    }

    /// <summary>moby's <c>LogNetworkEventWithAttributes</c>: the network's name and driver, and the container concerned.</summary>
    private void PublishNetworkEvent(NetworkState network, string action, string containerId) =>
        Events.Publish("network", action, network.Id.Value, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["container"] = containerId,
            ["name"] = network.Name,
            ["type"] = network.Driver,
        });
}
