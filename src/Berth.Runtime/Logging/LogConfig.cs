using System.Collections.Immutable;

namespace Berth.Runtime.Logging;

/// <summary>
/// Docker's <c>HostConfig.LogConfig</c>: a log driver and its options (<c>--log-driver</c>, <c>--log-opt</c>), as asked
/// for; <see cref="LogDrivers.Resolve"/> fills in the daemon's default and checks it.
/// </summary>
public sealed record LogConfig(string Type, ImmutableDictionary<string, string> Options)
{
    /// <summary>Docker's default: json-file without options (unbounded, as Docker's).</summary>
    public static LogConfig Default { get; } = new(LogDrivers.JsonFile, ImmutableDictionary<string, string>.Empty);
}
