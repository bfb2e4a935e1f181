using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth pull NAME[:TAG|@DIGEST]</c>: <c>POST /images/create?fromImage=&amp;tag=</c>, the progress printed as docker prints
/// it to a non-terminal, then the reference pulled.
/// </summary>
public sealed class ImagePullCommand(string path = "berth image pull") : CliCommand
{
    private const string DefaultTag = "latest";

    public override string Path => path;

    public override string Arguments => "[OPTIONS] NAME[:TAG|@DIGEST]";

    public override string Description => "Download an image from a registry";

    public override IReadOnlyList<string> Aliases => ["berth image pull", "berth pull"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("quiet", 'q', null, "Suppress verbose output"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var (repository, tag, digest) = ImageName.Split(args.Positionals[0]);
        if (tag is null && digest is null)
        {
            tag = DefaultTag;
            if (!args.IsSet("quiet"))
            {
                await context.Out.WriteLineAsync("Using default tag: " + DefaultTag).ConfigureAwait(false);
            }
        }

        var query = "?fromImage=" + Uri.EscapeDataString(digest is null ? repository : repository + "@" + digest) + "&tag=" + Uri.EscapeDataString(tag ?? "");
        var headers = Registry.RegistryAuthHeader.HeadersForImage(args.Positionals[0], context.Environment);
        using (var response = await context.Client.SendStreamingAsync(HttpMethod.Post, "/images/create" + query, null, null, headers, cancellationToken).ConfigureAwait(false))
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await JsonMessageStream.DisplayAsync(body, args.IsSet("quiet") ? TextWriter.Null : context.Out, cancellationToken).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(ImageName.Canonical(repository) + (digest is null ? ":" + tag : "@" + digest)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
