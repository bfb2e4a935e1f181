using System.Text;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth top CONTAINER [ps OPTIONS]</c>: <c>GET /containers/{c}/top[?ps_args=…]</c>, printed as docker's table (Titles, then
/// each process, through a tabwriter whose columns are at least <see cref="MinColumnWidth"/> wide).
/// </summary>
public sealed class TopCommand(string path) : ContainerCommand(path)
{
    /// <summary>docker's <c>tabwriter.NewWriter(out, 20, 1, 3, ' ', 0)</c> for top.</summary>
    public const int MinColumnWidth = 20;

    public override string Arguments => "CONTAINER [ps OPTIONS]";

    public override string Description => "Display the running processes of a container";

    public override IReadOnlyList<string> Aliases => ["berth container top", "berth top"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    /// <summary>Everything after the container is <c>ps</c>'s (<c>top c1 -o pid</c>).</summary>
    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var psArgs = args.Positionals.Skip(1).ToList();
        var query = psArgs.Count > 0 ? "?ps_args=" + Uri.EscapeDataString(string.Join(' ', psArgs)) : "";
        var response = await context.Client.SendAsync(HttpMethod.Get, ContainerPath(args.Positionals[0], "/top") + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(Render(response.Body)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's table over the daemon's <c>{"Titles":[…],"Processes":[[…]…]}</c>.</summary>
    public static string Render(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var text = new StringBuilder();
        text.AppendJoin('\t', Strings(document.RootElement, "Titles")).Append('\n');
        if (document.RootElement.TryGetProperty("Processes", out var processes) && processes.ValueKind == JsonValueKind.Array)
        {
            foreach (var process in processes.EnumerateArray())
            {
                text.AppendJoin('\t', process.EnumerateArray().Select(c => c.GetString() ?? "")).Append('\n');
            }
        }

        return TabWriter.Format(text.ToString(), MinColumnWidth);
    }

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? "") : [];
}
