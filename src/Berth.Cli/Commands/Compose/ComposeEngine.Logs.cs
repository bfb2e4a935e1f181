using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// The logs of <paramref name="containers"/>, each line after its container's prefix: one container after the other,
    /// or with <see cref="LogOptions.Follow"/> all at once until each container stops (or <paramref name="cancellationToken"/>).
    /// </summary>
    public async Task LogsAsync(IReadOnlyList<ServiceContainer> containers, LogOptions options, CancellationToken cancellationToken)
    {
        var prefixes = LogPrefixes.For([.. containers.Select(c => (c.Service, c.Name))], options.Color);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (options.Follow)
        {
            await Task.WhenAll(containers.Select(c => PrintLogAsync(c, prefixes[c.Name], options, cancellationToken))).ConfigureAwait(false);
            return;
        }

        foreach (var container in containers)
        {
            await PrintLogAsync(container, prefixes[container.Name], options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Attached <c>up</c>: every container's output since <paramref name="since"/> under its coloured prefix, and a line when
    /// one exits, until all have exited (0) or <paramref name="stopToken"/> fires (Ctrl-C): then the containers are
    /// stopped and 130 returned, as compose does.
    /// </summary>
    public async Task<int> AttachAsync(
        ComposeProject project, IReadOnlyList<ServiceContainer> containers, DateTimeOffset since, bool color, CancellationToken stopToken, CancellationToken cancellationToken)
    {
        var options = new LogOptions(Follow: true, Since: UnixTime(since), Color: color);
        var prefixes = LogPrefixes.For([.. containers.Select(c => (c.Service, c.Name))], color);
        lock (outputGate)
        {
            context.Out.WriteLine("Attaching to " + string.Join(", ", containers.Select(c => c.Name)));
            context.Out.Flush();
        }

        try
        {
            await Task.WhenAll(containers.Select(async c =>
            {
                await PrintLogAsync(c, prefixes[c.Name], options, stopToken).ConfigureAwait(false);
                var state = (await api.InspectAsync(c.Id, stopToken).ConfigureAwait(false)).State;
                if (!state.Running)
                {
                    lock (outputGate)
                    {
                        context.Out.WriteLine($"{c.Name} exited with code {state.ExitCode.ToString(CultureInfo.InvariantCulture)}");
                        context.Out.Flush();
                    }
                }
            })).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Status("Gracefully stopping... (press Ctrl+C again to force)");
            await StopAsync(project, [.. containers.Select(c => c.Service).Distinct(StringComparer.Ordinal)], null, cancellationToken).ConfigureAwait(false);
            return InterruptedExitCode;
        }
    }

    private async Task PrintLogAsync(ServiceContainer container, string prefix, LogOptions options, CancellationToken cancellationToken)
    {
        var inspect = await api.InspectAsync(container.Id, cancellationToken).ConfigureAwait(false);
        var query = new List<string>();
        if (options.Follow)
        {
            query.Add("follow=1");
        }

        if (options.Since is { } since)
        {
            query.Add("since=" + since);
        }

        query.Add("stderr=1");
        query.Add("stdout=1");
        query.Add("tail=" + Uri.EscapeDataString(options.Tail));
        if (options.Timestamps)
        {
            query.Add("timestamps=1");
        }

        using var logs = await api.Client.SendStreamingAsync(HttpMethod.Get, ComposeApi.ContainerPath(container.Id, "/logs?" + string.Join('&', query)), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await new LogLinePrinter(context.Out, outputGate, prefix).CopyAsync(logs.Body, inspect.Config.Tty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Docker's <c>since</c>: Unix seconds and nanoseconds.</summary>
    public static string UnixTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "." + (ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture);
    }
}
