using Berth.Api.Contracts;
using Berth.Core.Errors;

namespace Berth.Api.Containers;

/// <summary>
/// Create-request fields Berth reads only to refuse what it cannot do. docker-py (and so docker-compose) sends
/// many HostConfig fields on every create, mostly empty (<c>VolumesFrom: []</c>, <c>LogConfig: {"Type": ""}</c>,
/// <c>Links: []</c>, nulls): empty values are the defaults and pass; a value that would change what the container
/// is, and that Berth would otherwise ignore, is a 400 saying so.
/// </summary>
internal static class ContainerCreateLimits
{
    /// <summary>What Berth's container logs are (and what inspect shows in <c>HostConfig.LogConfig.Type</c>).</summary>
    public const string LogDriver = "json-file";

    public static void Check(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.HostConfig;
        if (host?.LogConfig?.Type is { Length: > 0 } driver && driver != LogDriver)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"log driver \"{driver}\" is not supported: Berth keeps every container's output itself ({LogDriver}, read with docker logs); leave out --log-driver (compose: logging.driver)");
        }
    }

    /// <summary><c>HostConfig.LogConfig</c> as inspect shows it.</summary>
    public static LogConfigContract InspectedLogConfig() => new() { Type = LogDriver, Config = [] };
}
