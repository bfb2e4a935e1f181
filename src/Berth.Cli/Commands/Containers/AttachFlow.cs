using System.Globalization;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// docker's attached sequence (run, start -a, attach), docs/docker-api.md §2.2: attach with the Upgrade headers, then wait (its
/// headers must be in before start goes out), then start, then the resize for a Tty on a terminal; the streams flow until the daemon
/// ends them, and the exit code comes from the wait body.
/// </summary>
public static class AttachFlow
{
    public const int WaitErrorExitCode = 125;

    public sealed record Streams(bool Stdin, bool Stdout, bool Stderr)
    {
        public bool Any => Stdin || Stdout || Stderr;

        /// <summary>Go's sorted query: <c>stderr=1&amp;stdin=1&amp;stdout=1&amp;stream=1</c>.</summary>
        public string Query()
        {
            var parts = new List<string>();
            if (Stderr)
            {
                parts.Add("stderr=1");
            }

            if (Stdin)
            {
                parts.Add("stdin=1");
            }

            if (Stdout)
            {
                parts.Add("stdout=1");
            }

            parts.Add("stream=1");
            return string.Join('&', parts);
        }
    }

    /// <param name="start">The start request (run, start -a), or null when the container already runs (attach).</param>
    /// <param name="waitCondition">"next-exit", "removed", or "" for none (attach).</param>
    /// <param name="onStartFailed">Called with the start error after the attach is dropped; returns what to throw.</param>
    public static async Task<int> RunAsync(
        CommandContext context, string id, Streams streams, bool tty, Func<Task>? start, string waitCondition,
        Func<DaemonErrorException, Task<Exception>>? onStartFailed = null, CancellationToken cancellationToken = default)
    {
        var path = "/containers/" + Uri.EscapeDataString(id);
        using var connection = streams.Any ? await context.Client.HijackAsync(path + "/attach?" + streams.Query(), null, cancellationToken).ConfigureAwait(false) : null;
        var waitQuery = waitCondition.Length > 0 ? "?condition=" + waitCondition : "";
        using var wait = await context.Client.SendStreamingAsync(HttpMethod.Post, path + "/wait" + waitQuery, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (start is not null)
        {
            try
            {
                await start().ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (onStartFailed is not null)
            {
                connection?.Dispose();
                throw await onStartFailed(e).ConfigureAwait(false);
            }
        }

        var terminal = context.Console.Terminal;
        using var resize = tty && terminal.IsOutputTerminal ? WatchSize(context, path + "/resize", cancellationToken) : null;
        if (connection is not null)
        {
            using var raw = tty && streams.Stdin && terminal.IsInputTerminal ? terminal.MakeInputRaw() : null;
            await AttachedSession.RunAsync(connection, context.Console, tty, streams.Stdin, cancellationToken).ConfigureAwait(false);
        }

        return await ReadExitCodeAsync(context, wait.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait body: <c>{"StatusCode":N,"Error":null|{"Message":…}}</c>; an error gives 125, as docker's waitExitOrRemoved.</summary>
    public static async Task<int> ReadExitCodeAsync(CommandContext context, Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.TryGetProperty("Error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("Message", out var message) && message.GetString() is { Length: > 0 } text)
        {
            await context.Err.WriteLineAsync("Error waiting for container: " + text).ConfigureAwait(false);
            return WaitErrorExitCode;
        }

        return root.TryGetProperty("StatusCode", out var code) && code.TryGetInt32(out var status) ? status : 0;
    }

    /// <summary>Sends the terminal's size now and on every SIGWINCH; errors are ignored, as docker's monitorTtySize does.</summary>
    public static IDisposable WatchSize(CommandContext context, string resizePath, CancellationToken cancellationToken)
    {
        async Task ResizeAsync()
        {
            if (context.Console.Terminal.Size is not var (rows, columns))
            {
                return;
            }

            try
            {
                var query = string.Create(CultureInfo.InvariantCulture, $"?h={rows}&w={columns}");
                await context.Client.SendAsync(HttpMethod.Post, resizePath + query, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException)
            {
                // A container that ended meanwhile, or a daemon without resize: the output still flows.
            }
        }

        _ = ResizeAsync();
        return context.Console.Terminal.OnResize(() => _ = ResizeAsync());
    }
}
