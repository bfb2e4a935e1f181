using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Runtime.Logging;

namespace Berth.Api.Containers;

/// <summary>
/// Docker's <c>HostConfig.LogConfig</c> ↔ <see cref="LogConfig"/>. docker-py (and so docker-compose) sends
/// <c>{"Type": "", "Config": {}}</c> on every create: an empty type is the daemon's default.
/// </summary>
internal static class ContainerLogConfigView
{
    public static LogConfig? FromRequest(LogConfigContract? contract) =>
        contract is null ? null : new LogConfig(contract.Type ?? "", (contract.Config ?? []).ToImmutableDictionary(StringComparer.Ordinal));

    /// <summary>Options in key order, as Go encodes a map.</summary>
    public static LogConfigContract ToContract(LogConfig config) =>
        new() { Type = config.Type, Config = config.Options.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal) };
}
