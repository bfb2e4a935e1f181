using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>Docker's <c>Limit</c>: CPUs in billionths, memory in bytes, a process count; zero is none.</summary>
public sealed class ResourceLimit
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long NanoCPUs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long MemoryBytes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Pids { get; set; }
}
