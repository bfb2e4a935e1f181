using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary>
/// A container's effective HEALTHCHECK: the create request's merged over the image's (moby
/// <c>daemon.merge</c>: a field left empty or zero is the image's), with Docker's defaults for what neither
/// sets. Null from <see cref="Resolve"/> means no monitor: no healthcheck anywhere, or <c>["NONE"]</c>.
/// </summary>
public sealed record Healthcheck(ImmutableArray<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, int Retries)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>moby's <c>defaultStartInterval</c>: between probes while still starting within the start period.</summary>
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);

    /// <summary>The time between probes while the container is still <c>starting</c> within <see cref="StartPeriod"/>.</summary>
    public TimeSpan StartInterval { get; init; } = DefaultStartInterval;

    /// <summary>
    /// How long to wait before the next probe (moby's monitor): <see cref="StartInterval"/> while the container is still
    /// starting within its start period, <see cref="Interval"/> otherwise.
    /// </summary>
    public TimeSpan NextDelay(HealthStatus status, TimeSpan sinceStart) =>
        sinceStart < StartPeriod && status == HealthStatus.Starting ? StartInterval : Interval;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public const int DefaultRetries = 3;

    /// <summary>Docker's lower bound for every duration that is set (moby <c>MinimumDuration</c>).</summary>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(1);

    private const long NanosecondsPerTick = 100;

    /// <summary>Checks a request's healthcheck the way moby's create does; every problem is reported together.</summary>
    public static void Validate(HealthConfig? requested)
    {
        if (requested is null)
        {
            return;
        }

        var problems = new List<string>();
        void Duration(string name, long nanoseconds)
        {
            if (nanoseconds != 0 && nanoseconds < MinimumDuration.Ticks * NanosecondsPerTick)
            {
                problems.Add($"{name} in Healthcheck cannot be less than {MinimumDuration.TotalMilliseconds:0}ms");
            }
        }

        Duration("Interval", requested.Interval);
        Duration("Timeout", requested.Timeout);
        Duration("StartPeriod", requested.StartPeriod);
        Duration("StartInterval", requested.StartInterval);
        if (requested.Retries < 0)
        {
            problems.Add("Retries in Healthcheck cannot be negative");
        }

        if (requested.Test is { Count: > 0 } test && test[0] is not ("NONE" or "CMD" or "CMD-SHELL"))
        {
            problems.Add($"unknown Healthcheck type \"{test[0]}\": use [\"CMD\", args...], [\"CMD-SHELL\", command] or [\"NONE\"]");
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems));
        }
    }

    public static Healthcheck? Resolve(HealthConfig? requested, HealthConfig? image)
    {
        var merged = requested ?? image;
        if (merged is null)
        {
            return null;
        }

        if (requested is not null && image is not null)
        {
            merged = requested with
            {
                Test = requested.Test is null or { Count: 0 } ? image.Test : requested.Test,
                Interval = requested.Interval == 0 ? image.Interval : requested.Interval,
                Timeout = requested.Timeout == 0 ? image.Timeout : requested.Timeout,
                StartPeriod = requested.StartPeriod == 0 ? image.StartPeriod : requested.StartPeriod,
                StartInterval = requested.StartInterval == 0 ? image.StartInterval : requested.StartInterval,
                Retries = requested.Retries == 0 ? image.Retries : requested.Retries,
            };
        }

        var test = merged.Test ?? [];
        ImmutableArray<string>? command = test.Count < 2 ? null : test[0] switch
        {
            "CMD" => [.. test.Skip(1)],
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', test.Skip(1))],
            _ => null,
        };
        if (command is null)
        {
            return null;
        }

        return new Healthcheck(
            command.Value,
            Or(merged.Interval, DefaultInterval),
            Or(merged.Timeout, DefaultTimeout),
            Or(merged.StartPeriod, TimeSpan.Zero),
            merged.Retries > 0 ? merged.Retries : DefaultRetries)
        {
            StartInterval = Or(merged.StartInterval, DefaultStartInterval),
        };
    }

    private static TimeSpan Or(long nanoseconds, TimeSpan fallback) =>
        nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / NanosecondsPerTick) : fallback;
}
