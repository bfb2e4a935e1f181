using System.Collections.Immutable;
using System.Text.Json;
using Berth.Compose.Model;

namespace Berth.Compose.Planning;

/// <summary>
/// What a compose project asks of the daemon: its networks (made first) and its services in start order
/// (every service after what it depends on). Made by <see cref="ComposePlanner"/>; pure data.
/// </summary>
public sealed record ProjectPlan
{
    public required string ProjectName { get; init; }

    /// <summary>Every network some service uses, external ones included (those are only checked, never made nor removed).</summary>
    public ImmutableArray<NetworkPlan> Networks { get; init; } = [];

    /// <summary>Services in start order: dependencies (depends_on, <c>network_mode: service:x</c>) before dependents.</summary>
    public ImmutableArray<ServicePlan> Services { get; init; } = [];

    /// <summary>Named volumes of the project, external ones included (those are only checked, never made nor removed).</summary>
    public ImmutableArray<VolumePlan> Volumes { get; init; } = [];

    public ServicePlan Service(string name) =>
        Services.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"no such service: {name}");

    /// <summary>
    /// The label filter (list form, as docker-compose sends it) that finds the project's containers, or with
    /// <paramref name="oneOff"/> null both its service and one-off containers.
    /// </summary>
    public static string ContainerFilter(string project, bool? oneOff, string? service = null)
    {
        var labels = new List<string> { ComposeLabels.Project + "=" + project };
        if (oneOff is { } value)
        {
            labels.Add(ComposeLabels.OneOff + "=" + (value ? ComposeNames.True : ComposeNames.False));
        }

        if (service is not null)
        {
            labels.Add(ComposeLabels.Service + "=" + service);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("label");
            foreach (var label in labels)
            {
                writer.WriteStringValue(label);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
