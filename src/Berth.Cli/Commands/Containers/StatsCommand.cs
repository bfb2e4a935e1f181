using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Berth.Cli.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth stats [CONTAINER...]</c>: one <c>GET /containers/{c}/stats?stream=0|1</c> per container (named, or every running one,
/// <c>-a</c> every one, keyed by short id), each sample turned into a <see cref="StatsEntry"/>; the table is drawn every
/// <see cref="RedrawInterval"/> over the last one (cursor home, each line erased to its end, the rest of the screen cleared), or
/// once with <c>--no-stream</c>. Named containers that fail are reported together (exit 1), as docker does.
/// </summary>
public sealed class StatsCommand(string path) : ContainerCommand(path)
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    /// <summary>docker's render ticker.</summary>
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(500);

    private const string CursorHome = "\u001b[H";
    private const string EraseToEndOfLine = "\u001b[K";
    private const string EraseBelow = "\u001b[J";

    public override string Arguments => "[OPTIONS] [CONTAINER...]";

    public override string Description => "Display a live stream of container(s) resource usage statistics";

    public override IReadOnlyList<string> Aliases => ["berth container stats", "berth stats"];

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("all", 'a', null, "Show all containers (default shows just running)"),
        new("format", null, "string", "Format output using a custom template:\n'table', 'table TEMPLATE', 'json', or a Go template"),
        new("no-stream", null, null, "Disable streaming stats and only pull the first result"),
        new("no-trunc", null, null, "Do not truncate output"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var stream = !args.IsSet("no-stream");
        var format = args.Last("format") is { Length: > 0 } given ? given : ListFormat.TableKey;
        var template = ListFormat.Parse(format == ListFormat.TableKey ? DefaultTableFormat : format, out var isTable);
        var truncate = !args.IsSet("no-trunc");
        var showAll = args.Positionals.Count == 0;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var collectors = new ConcurrentDictionary<string, Collector>(StringComparer.Ordinal);
        var order = new List<string>();
        try
        {
            var names = showAll ? await ListAsync(context, args.IsSet("all"), stop.Token).ConfigureAwait(false) : args.Positionals.Distinct(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                order.Add(name);
                collectors[name] = Collector.Start(context.Client, name, stream, stop.Token);
            }

            await Task.WhenAll(collectors.Values.Select(c => c.First)).ConfigureAwait(false);
            if (!showAll && collectors.Values.Select(c => c.Error).OfType<string>().ToList() is { Count: > 0 } errors)
            {
                throw new StatusException(ExitCodes.Failure, string.Join('\n', errors));
            }

            while (true)
            {
                var rows = order.Select(n => new StatsRow(collectors[n].Entry, truncate)).ToList();
                var table = ListFormat.Render(rows, template, isTable, StatsRow.Header);
                await context.Out.WriteAsync(stream ? Frame(table) : table).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (!stream || (!showAll && collectors.Values.All(c => c.Ended)))
                {
                    return ExitCodes.Success;
                }

                await Task.Delay(RedrawInterval, cancellationToken).ConfigureAwait(false);
                if (showAll)
                {
                    await RefreshAsync(context, args.IsSet("all"), collectors, order, stop.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var collector in collectors.Values)
            {
                await collector.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>docker redraws in place: home, each line then erase-to-end-of-line, then erase what is left below.</summary>
    public static string Frame(string table)
    {
        var frame = new StringBuilder(CursorHome);
        foreach (var line in table.Split('\n'))
        {
            frame.Append(line).Append(EraseToEndOfLine).Append('\n');
        }

        return frame.Append(EraseBelow).ToString();
    }

    /// <summary>
    /// docker follows start/die events to add and drop containers while streaming everything; berth lists again instead:
    /// a container that started is added, one that is gone from the list is dropped.
    /// </summary>
    private static async Task RefreshAsync(CommandContext context, bool all, ConcurrentDictionary<string, Collector> collectors, List<string> order, CancellationToken cancellationToken)
    {
        List<string> current;
        try
        {
            current = await ListAsync(context, all, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException)
        {
            return; // The next tick tries again.
        }

        foreach (var gone in order.Except(current).ToList())
        {
            order.Remove(gone);
            if (collectors.TryRemove(gone, out var collector))
            {
                await collector.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var added in current.Except(order).ToList())
        {
            order.Add(added);
            collectors[added] = Collector.Start(context.Client, added, stream: true, cancellationToken);
        }
    }

    /// <summary>The short ids of the running (or all) containers, in the daemon's order.</summary>
    private static async Task<List<string>> ListAsync(CommandContext context, bool all, CancellationToken cancellationToken)
    {
        var response = await context.Client.SendAsync(HttpMethod.Get, "/containers/json" + (all ? "?all=1" : ""), cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Body);
        return [.. document.RootElement.EnumerateArray().Select(c => GoUnits.TruncateId(c.GetProperty("Id").GetString() ?? ""))];
    }

    /// <summary>One container's stats stream: <see cref="First"/> completes at the first sample or failure; the entry is replaced whole.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly TaskCompletionSource first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource cancellation;
        private volatile StatsEntry entry;
        private Task run = Task.CompletedTask;

        private Collector(string container, CancellationToken cancellationToken)
        {
            entry = new StatsEntry(container);
            cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public Task First => first.Task;

        public StatsEntry Entry => entry;

        /// <summary>"Error response from daemon: …" when the stream could not be opened.</summary>
        public string? Error { get; private set; }

        public bool Ended { get; private set; }

        public static Collector Start(DaemonClient client, string container, bool stream, CancellationToken cancellationToken)
        {
            var collector = new Collector(container, cancellationToken);
            collector.run = collector.RunAsync(client, stream);
            return collector;
        }

        /// <summary>Ends the stream and waits for its reader to finish.</summary>
        public async ValueTask DisposeAsync()
        {
            await cancellation.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
            cancellation.Dispose();
        }

        private async Task RunAsync(DaemonClient client, bool stream)
        {
            var token = cancellation.Token;
            var container = entry.Container;
            try
            {
                using var response = await client.SendStreamingAsync(HttpMethod.Get, ContainerPath(container, "/stats") + (stream ? "?stream=1" : "?stream=0"), cancellationToken: token)
                    .ConfigureAwait(false);
                using var reader = new StreamReader(response.Body, Encoding.UTF8);
                while (await reader.ReadLineAsync(token).ConfigureAwait(false) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    using (var sample = JsonDocument.Parse(line))
                    {
                        entry = StatsEntry.FromSample(container, sample.RootElement);
                    }

                    first.TrySetResult();
                    if (!stream)
                    {
                        break;
                    }
                }

                // The daemon ended the stream (the container is gone): docker shows the row as invalid from then on.
                entry = entry with { IsInvalid = stream || entry.IsInvalid };
            }
            catch (DaemonErrorException e)
            {
                Error = "Error response from daemon: " + e.Message;
                entry = entry with { IsInvalid = true };
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or JsonException or DaemonUnavailableException)
            {
                entry = entry with { IsInvalid = !token.IsCancellationRequested || entry.IsInvalid };
            }
            finally
            {
                Ended = true;
                first.TrySetResult();
            }
        }
    }
}
