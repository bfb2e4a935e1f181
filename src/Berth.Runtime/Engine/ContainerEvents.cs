using System.Globalization;
using Berth.Core.Containers;
using Berth.Core.Networks;

namespace Berth.Runtime.Engine;

/// <summary>
/// The container and network events of <c>GET /events</c>, as moby logs them, published to the <see cref="EventHub"/>:
/// <c>create</c>, <c>start</c>, <c>die</c> (with <c>exitCode</c>), <c>pause</c>, <c>unpause</c> and <c>rename</c> (with <c>oldName</c>) follow from a
/// record's own transitions (<see cref="ContainerRecords"/>); <c>kill</c>, <c>stop</c>, <c>restart</c>, <c>destroy</c>,
/// <c>health_status: …</c> and a network's <c>connect</c>/<c>disconnect</c> are published where they happen.
/// </summary>
public sealed class ContainerEvents(EventHub hub)
{
    public EventHub Hub => hub;

    /// <summary>The events a record's change implies (<paramref name="before"/> null: it was created).</summary>
    public void Transition(ContainerRecord? before, ContainerRecord after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            Container(after, "create");
            return;
        }

        bool wasRunning = before.Status == ContainerStatus.Running;
        bool isRunning = after.Status == ContainerStatus.Running;
        if (!wasRunning && isRunning)
        {
            Container(after, "start");
        }
        else if (wasRunning && !isRunning)
        {
            Container(after, "die", ("exitCode", after.ExitCode.ToString(CultureInfo.InvariantCulture)));
        }

        if (wasRunning && isRunning && before.Paused != after.Paused)
        {
            Container(after, after.Paused ? "pause" : "unpause");
        }

        if (before.Name != after.Name)
        {
            Container(after, "rename", ("oldName", "/" + before.Name));
        }
    }

    /// <summary>A change of health; a monitor begins in "starting" without an event, as moby's does.</summary>
    public void Health(ContainerRecord? record, HealthState? before, HealthState after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before?.Status != after.Status && after.Status != HealthStatus.Starting && record is not null)
        {
            Container(record, "health_status: " + after.Status.ToString().ToLowerInvariant());
        }
    }

    /// <summary>A kill, with its <c>signal</c> attribute as the number, as moby writes it (<c>KILL</c>, <c>SIGKILL</c> and <c>9</c> give <c>9</c>).</summary>
    public void Kill(ContainerRecord record, string signal) => Container(record, "kill", ("signal", SignalNumber(signal)));

    /// <summary>Attributes as moby's <c>LogContainerEventWithAttributes</c>: the labels, then <c>image</c> and <c>name</c>, then the event's own.</summary>
    public void Container(ContainerRecord record, string action, params ReadOnlySpan<(string Key, string Value)> extra)
    {
        ArgumentNullException.ThrowIfNull(record);
        var attributes = new Dictionary<string, string>(record.Spec.Labels, StringComparer.Ordinal)
        {
            ["image"] = record.Spec.Image,
            ["name"] = record.Name,
        };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        hub.Publish("container", action, record.Id.Value, attributes);
    }

    /// <summary>
    /// An exec's <c>exec_create: CMD ARGS</c>, <c>exec_start: CMD ARGS</c> or <c>exec_die</c> on its container, with
    /// <c>execID</c> (and <c>exitCode</c> for <c>exec_die</c>), as moby's <c>LogContainerEventWithAttributes</c> writes them.
    /// </summary>
    public void Exec(ContainerRecord record, string action, string execId, params ReadOnlySpan<(string Key, string Value)> extra) =>
        Container(record, action, [("execID", execId), .. extra]);

    /// <summary>moby's <c>LogVolumeEvent</c>: a volume's <c>create</c>, <c>destroy</c>, <c>mount</c>, <c>unmount</c>, with <c>driver</c> and the event's own.</summary>
    public void Volume(string action, string name, params ReadOnlySpan<(string Key, string Value)> extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["driver"] = "local" };
        foreach (var (key, value) in extra)
        {
            attributes[key] = value;
        }

        hub.Publish("volume", action, name, attributes);
    }

    /// <summary>moby's <c>LogImageEvent</c>: the image's labels and its <c>name</c> (the reference acted on).</summary>
    public void Image(string action, string actorId, string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        var attributes = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["name"] = name };
        hub.Publish("image", action, actorId, attributes);
    }

    /// <summary>A prune of <paramref name="type"/> (<c>image</c>, <c>volume</c>): moby logs one event with the bytes <c>reclaimed</c>.</summary>
    public void Prune(string type, long reclaimed) =>
        hub.Publish(type, "prune", "", new Dictionary<string, string>(StringComparer.Ordinal) { ["reclaimed"] = reclaimed.ToString(CultureInfo.InvariantCulture) });

    /// <summary>moby's <c>LogNetworkEventWithAttributes</c>: the network's name and driver, and the container concerned.</summary>
    public void Network(NetworkState network, string action, ContainerId container)
    {
        ArgumentNullException.ThrowIfNull(network);
        hub.Publish("network", action, network.Id.Value, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["container"] = container.Value,
            ["name"] = network.Name,
            ["type"] = network.Driver,
        });
    }

    private static string SignalNumber(string signal) =>
        Signals.TryNumber(signal) is { } number ? number.ToString(CultureInfo.InvariantCulture) : signal;
}
