using System.Text.Json;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]</c>: <c>POST /commit</c> with the query docker's client sends (keys in
/// Go's sorted order; <c>repo</c> the normalised name, <c>tag</c> "latest" when a name has none; <c>pause=0</c> only for
/// <c>--pause=false</c>); prints the new image's id.
/// </summary>
public sealed class CommitCommand(string path) : ContainerCommand(path)
{
    public override string Arguments => "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]";

    public override string Description => "Create a new image from a container's changes";

    public override IReadOnlyList<string> Aliases => ["berth container commit", "berth commit"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 2;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("author", 'a', "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
        new("change", 'c', "list", "Apply Dockerfile instruction to the created image"),
        new("message", 'm', "string", "Commit message"),
        new("pause", 'p', null, "Pause container during commit (default true)"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var query = Query(args);
        var response = await context.Client.SendAsync(HttpMethod.Post, "/commit" + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response.Body);
        await context.Out.WriteLineAsync(document.RootElement.GetProperty("Id").GetString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>moby's client <c>ContainerCommit</c>: a digest is refused, an upper-case name too (the reference grammar's rule).</summary>
    public static string Query(ParsedArgs args)
    {
        var (repository, tag) = ("", "");
        if (args.Positionals.Count > 1 && args.Positionals[1].Length > 0)
        {
            var reference = ImageReference.Parse(args.Positionals[1]);
            if (reference.Digest is not null)
            {
                throw new ArgumentException("refusing to create a tag with a digest reference");
            }

            var path = reference.Repository[(reference.Repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (path.Any(char.IsUpper))
            {
                throw new ArgumentException($"invalid reference format: repository name ({path}) must be lowercase");
            }

            (repository, tag) = (reference.Repository, reference.Tag ?? "latest");
        }

        static string Escape(string value) => Uri.EscapeDataString(value);
        return "?author=" + Escape(args.Last("author") ?? "")
            + string.Concat(args.All("change").Select(c => "&changes=" + Escape(c)))
            + "&comment=" + Escape(args.Last("message") ?? "")
            + "&container=" + Escape(args.Positionals[0])
            + (args.Last("pause") == "false" ? "&pause=0" : "")
            + "&repo=" + Escape(repository) + "&tag=" + Escape(tag);
    }
}
