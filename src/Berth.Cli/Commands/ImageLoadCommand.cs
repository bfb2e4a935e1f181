using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth load [-i FILE]</c>: a docker-save or OCI-layout tar (the file, or stdin) to <c>POST /images/load</c>.</summary>
public sealed class ImageLoadCommand(string path = "berth image load") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Load an image from a tar archive or STDIN";

    public override IReadOnlyList<string> Aliases => ["berth image load", "berth load"];

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("input", 'i', "string", "Read from tar archive file, instead of STDIN"),
        new("quiet", 'q', null, "Suppress the load output"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        Stream body;
        if (args.Last("input") is { Length: > 0 } file)
        {
            body = ImageImportCommand.OpenFile(file);
        }
        else if (!Console.IsInputRedirected)
        {
            throw new ArgumentException("requested load from stdin, but stdin is empty");
        }
        else
        {
            body = Console.OpenStandardInput();
        }

        await using (body.ConfigureAwait(false))
        {
            using var response = await context.Client.SendStreamingAsync(HttpMethod.Post, "/images/load?quiet=1", body, "application/x-tar", cancellationToken)
                .ConfigureAwait(false);
            var output = args.IsSet("quiet") ? TextWriter.Null : context.Out;
            await JsonMessageStream.DisplayAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), output, cancellationToken)
                .ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
