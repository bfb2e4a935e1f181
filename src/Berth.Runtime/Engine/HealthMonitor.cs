namespace Berth.Runtime.Engine;

/// <summary>
/// Runs one container's healthcheck: a probe every <see cref="Healthcheck.Interval"/> (the first one an
/// interval after the start, as Docker does; every <see cref="Healthcheck.StartInterval"/> while still starting within
/// the start period), each bounded by <see cref="Healthcheck.Timeout"/>, its result
/// applied by <see cref="HealthStateMachine"/> and published. The probe and the clock are given, so the loop
/// is tested without a container and without waiting.
/// </summary>
public sealed class HealthMonitor
{
    /// <summary>Output kept per probe (moby's <c>maxOutputLen</c>).</summary>
    public const int MaxOutputBytes = 4096;

    /// <summary>The probe's exit code when it did not finish in time.</summary>
    public const int TimedOutExitCode = -1;

    private readonly Healthcheck _check;
    private readonly DateTimeOffset _startedAt;
    private readonly Func<CancellationToken, Task<(int ExitCode, string Output)>> _probe;
    private readonly TimeProvider _time;
    private readonly Action<HealthState> _publish;
    private readonly Func<HealthState, CancellationToken, Task>? _follow;
    private readonly Func<bool>? _paused;

    /// <param name="probe">Runs the check once; it must stop its process when the token is cancelled (the timeout).</param>
    /// <param name="follow">
    /// What follows from each probe's state beyond State.Health (a service task's rotation, <see cref="ServiceRotation"/>);
    /// awaited before the next probe, so its effects keep the probes' order.
    /// </param>
    /// <param name="paused">Whether the container is paused now: moby probes no frozen container, its health stays as it was.</param>
    public HealthMonitor(Healthcheck check, DateTimeOffset startedAt, Func<CancellationToken, Task<(int ExitCode, string Output)>> probe, TimeProvider time, Action<HealthState> publish,
        Func<HealthState, CancellationToken, Task>? follow = null, Func<bool>? paused = null)
    {
        _paused = paused;
        _check = check;
        _startedAt = startedAt;
        _probe = probe;
        _time = time;
        _publish = publish;
        _follow = follow;
        publish(State);
    }

    public HealthState State { get; private set; } = HealthState.Starting;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(_check.NextDelay(State.Status, _time.GetUtcNow() - _startedAt), _time, cancellationToken).ConfigureAwait(false);
            if (_paused?.Invoke() != true)
            {
                await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One probe and its effect on the state.</summary>
    public async Task<HealthState> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        using var timeout = new CancellationTokenSource(_check.Timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        (int exitCode, string output) result;
        try
        {
            result = await _probe(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = (TimedOutExitCode, $"Health check exceeded timeout ({GoDuration(_check.Timeout)})");
        }

        string text = result.output.Length > MaxOutputBytes ? result.output[..MaxOutputBytes] : result.output;
        State = HealthStateMachine.Apply(State, new HealthProbeResult(start, _time.GetUtcNow(), result.exitCode, text), _check, _startedAt);
        _publish(State);
        if (_follow is not null)
        {
            await _follow(State, cancellationToken).ConfigureAwait(false);
        }

        return State;
    }

    /// <summary>Go's time.Duration text for the durations healthchecks use: 200ms, 30s, 1m30s.</summary>
    public static string GoDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{duration.TotalMilliseconds:0.###}ms";
        }

        string seconds = $"{duration.TotalSeconds % 60:0.#########}s";
        return duration < TimeSpan.FromMinutes(1) ? seconds
            : duration < TimeSpan.FromHours(1) ? $"{(int)duration.TotalMinutes}m{seconds}"
            : $"{(int)duration.TotalHours}h{duration.Minutes}m{seconds}";
    }
}
