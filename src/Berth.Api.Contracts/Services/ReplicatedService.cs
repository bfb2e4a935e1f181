using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Mode.Replicated</c>: absent <see cref="Replicas"/> means one (<c>stack deploy</c> sends none); Docker always shows it.</summary>
public sealed class ReplicatedService
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Replicas { get; set; }
}
