using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth tag SOURCE TARGET</c>: <c>POST /images/{source}/tag?repo=&amp;tag=</c> (201, nothing printed).</summary>
public sealed class ImageTagCommand(string path = "berth image tag") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]";

    public override string Description => "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE";

    public override IReadOnlyList<string> Aliases => ["berth image tag", "berth tag"];

    protected override int MinArguments => 2;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var (repository, tag, digest) = ImageName.Split(args.Positionals[1]);
        if (digest is not null)
        {
            throw new ArgumentException("refusing to create a tag with a digest reference");
        }

        var query = "?repo=" + Uri.EscapeDataString(repository) + "&tag=" + Uri.EscapeDataString(tag ?? "latest");
        await context.Client.SendAsync(HttpMethod.Post, ImagePath.Of(args.Positionals[0], "tag") + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
