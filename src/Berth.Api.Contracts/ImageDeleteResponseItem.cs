using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>One line of <c>DELETE /images/{name}</c> and of prune: exactly one of the two is set.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; set; }
}
