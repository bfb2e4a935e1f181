using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// A swarm object's <c>Version</c>: the index an update must send back (<c>?version=N</c>); an older one is
/// refused with "update out of sequence". Go leaves out a zero index (<c>{}</c>).
/// </summary>
public sealed class ObjectVersion
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong Index { get; set; }
}
