using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;

namespace Berth.Api.Endpoints;

/// <summary>Healthchecks in the container routes: the request's Config.Healthcheck, State.Health, ps's status suffix and <c>health=</c> filter.</summary>
internal static class ContainerHealthView
{
    private const string FilterKey = "health";

    /// <summary>moby's <c>health=</c> terms; <c>none</c> is a container without a healthcheck.</summary>
    private static readonly string[] FilterTerms = ["starting", "healthy", "unhealthy", "none"];

    /// <summary>The request's healthcheck, checked (durations, retries, type) before anything is made.</summary>
    public static HealthConfig? FromRequest(HealthcheckConfig? requested)
    {
        if (requested is null)
        {
            return null;
        }

        var config = new HealthConfig
        {
            Test = requested.Test is null ? null : [.. requested.Test],
            Interval = requested.Interval,
            Timeout = requested.Timeout,
            StartPeriod = requested.StartPeriod,
            StartInterval = requested.StartInterval,
            Retries = requested.Retries,
        };
        Healthcheck.Validate(config);
        return config;
    }

    public static HealthcheckConfig? ToConfig(HealthConfig? config) => config is null ? null : new HealthcheckConfig
    {
        Test = config.Test is null ? null : [.. config.Test],
        Interval = config.Interval,
        Timeout = config.Timeout,
        StartPeriod = config.StartPeriod,
        StartInterval = config.StartInterval,
        Retries = config.Retries,
    };

    public static ContainerHealth? ToState(HealthState? state) => state is null ? null : new ContainerHealth
    {
        Status = Name(state.Status),
        FailingStreak = state.FailingStreak,
        Log = [.. state.Log.Select(r => new HealthLogEntry { Start = Rfc3339.FormatNano(r.Start), End = Rfc3339.FormatNano(r.End), ExitCode = r.ExitCode, Output = r.Output })],
    };

    /// <summary>What ps adds to <c>Up N seconds</c> (moby <c>Health.String</c>).</summary>
    public static string StatusSuffix(HealthState? state) => state is null ? ""
        : state.Status == HealthStatus.Starting ? " (health: starting)"
        : $" ({Name(state.Status)})";

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The health filter's word for a container: starting, healthy, unhealthy, or none without a check.</summary>
    public static string FilterName(HealthState? state) => state is null ? "none" : Name(state.Status);
}
