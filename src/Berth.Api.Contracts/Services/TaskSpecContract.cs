using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// Docker's <c>TaskSpec</c> (a service's <c>TaskTemplate</c>, and each task's <c>Spec</c>). <c>service ps</c> reads
/// <c>ContainerSpec.Image</c>, so a task's spec always has its <see cref="ContainerSpecContract"/>.
/// </summary>
public sealed class TaskSpecContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerSpecContract? ContainerSpec { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResourceRequirements? Resources { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RestartPolicyContract? RestartPolicy { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Placement? Placement { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NetworkAttachmentConfig>? Networks { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwarmDriver? LogDriver { get; set; }

    /// <summary>A changed value redeploys every task (<c>service update --force</c> bumps it).</summary>
    public ulong ForceUpdate { get; set; }

    /// <summary><c>container</c> (empty means the same); Docker's <c>plugin</c> and <c>attachment</c> runtimes are not served.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Runtime { get; set; }
}
