using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>Docker's <c>Resources</c> as a reservation: what a node must have free to run the task.</summary>
public sealed class ResourceReservation
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long NanoCPUs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long MemoryBytes { get; set; }
}
