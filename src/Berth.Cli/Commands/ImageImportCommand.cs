using Berth.Cli.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth import file|- [REPOSITORY[:TAG]]</c>: the rootfs tar (a file, or stdin for <c>-</c>) as the body of
/// <c>POST /images/create?fromSrc=-</c>, with <c>-c</c> changes and a <c>-m</c> message; prints the new image id.
/// </summary>
public sealed class ImageImportCommand(string path = "berth image import") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]";

    public override string Description => "Import the contents from a tarball to create a filesystem image";

    public override IReadOnlyList<string> Aliases => ["berth image import", "berth import"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("change", 'c', "list", "Apply Dockerfile instruction to the created image"),
        new("message", 'm', "string", "Set commit message for imported image"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var source = args.Positionals[0];
        if (source.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"importing from a URL ({source}) is not supported by Berth; download it and import the file");
        }

        var query = "?fromSrc=-&repo=" + Uri.EscapeDataString(args.Positionals.Count > 1 ? args.Positionals[1] : "") + "&tag="
            + (args.Last("message") is { } message ? "&message=" + Uri.EscapeDataString(message) : "")
            + string.Concat(args.All("change").Select(c => "&changes=" + Uri.EscapeDataString(c)));
        var body = source == "-" ? Console.OpenStandardInput() : OpenFile(source);
        await using (body.ConfigureAwait(false))
        {
            using var response = await context.Client.SendStreamingAsync(HttpMethod.Post, "/images/create" + query, body, "application/x-tar", cancellationToken)
                .ConfigureAwait(false);
            await JsonMessageStream.DisplayAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), context.Out, cancellationToken)
                .ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>Opens an archive to upload; a missing file is said as docker says it.</summary>
    public static FileStream OpenFile(string file)
    {
        try
        {
            return File.OpenRead(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"open {file}: no such file or directory", e);
        }
    }
}
