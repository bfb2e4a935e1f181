using System.Text;
using System.Text.Json;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary><c>berth diff CONTAINER</c>: <c>GET /containers/{c}/changes</c> as docker prints it, <c>C|A|D path</c> in the daemon's order.</summary>
public sealed class DiffCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "CONTAINER";

    public override string Description => "Inspect changes to files or directories on a container's filesystem";

    public override IReadOnlyList<string> Aliases => ["berth container diff", "berth diff"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        if (args.Positionals[0].Length == 0)
        {
            throw new ArgumentException("Container name cannot be empty");
        }

        var response = await context.Client.SendAsync(HttpMethod.Get, ContainerPath(args.Positionals[0], "/changes"), cancellationToken: cancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(Render(response.Body)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>moby's <c>ChangeType</c>: 0 modified, 1 added, 2 deleted.</summary>
    public static string Render(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var text = new StringBuilder();
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        foreach (var change in document.RootElement.EnumerateArray())
        {
            var kind = change.GetProperty("Kind").GetInt32() switch
            {
                0 => "C",
                1 => "A",
                2 => "D",
                _ => "",
            };
            text.Append(kind).Append(' ').Append(change.GetProperty("Path").GetString()).Append('\n');
        }

        return text.ToString();
    }
}
