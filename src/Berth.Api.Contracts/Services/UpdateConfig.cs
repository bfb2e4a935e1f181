using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>UpdateConfig</c> and <c>RollbackConfig</c> (<c>--update-*</c>, <c>--rollback-*</c>): durations in nanoseconds;
/// <see cref="FailureAction"/> <c>pause</c>, <c>continue</c> or <c>rollback</c>; <see cref="Order"/> <c>stop-first</c>
/// or <c>start-first</c>. Go always writes <see cref="Parallelism"/>, <see cref="MaxFailureRatio"/> and <see cref="Order"/>.
/// </summary>
public sealed class UpdateConfig
{
    public ulong Parallelism { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Delay { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FailureAction { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Monitor { get; set; }

    public double MaxFailureRatio { get; set; }

    public string? Order { get; set; }
}
