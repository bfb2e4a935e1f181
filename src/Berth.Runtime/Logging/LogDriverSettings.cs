using System.Collections.Immutable;

namespace Berth.Runtime.Logging;

/// <summary>A checked <see cref="LogConfig"/>: what the driver keeps, where, and how it is bounded.</summary>
public sealed record LogDriverSettings(LogDriverKind Kind, LogRotation Rotation)
{
    /// <summary>Whether <c>docker logs</c> can read it back (moby: a driver that is a <c>LogReader</c>).</summary>
    public bool Reads => Kind != LogDriverKind.None;

    /// <summary>Whether a log file is written at all.</summary>
    public bool Keeps => Kind != LogDriverKind.None;

    /// <summary>The log file in the container's directory (Docker's names: <c>ID-json.log</c>, <c>local-logs/container.log</c>); null for none.</summary>
    public string? FileIn(string containerDirectory, string id) => Kind switch
    {
        LogDriverKind.JsonFile => Path.Combine(containerDirectory, id + "-json.log"),
        LogDriverKind.Local => Path.Combine(containerDirectory, "local-logs", "container.log"),
        _ => null,
    };

    /// <summary>The format of its file, with the attributes written on every record (json-file only, as Docker 28's local writes none).</summary>
    public ILogFormat? Format(ImmutableSortedDictionary<string, string> attrs) => Kind switch
    {
        LogDriverKind.JsonFile => attrs.IsEmpty ? JsonFileFormat.Plain : new JsonFileFormat(attrs),
        LogDriverKind.Local => LocalFormat.Instance,
        _ => null,
    };
}
