using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth save [-o FILE] IMAGE...</c>: <c>GET /images/get?names=…</c>, the tar to the file or to redirected stdout.</summary>
public sealed class ImageSaveCommand(string path = "berth image save") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "[OPTIONS] IMAGE [IMAGE...]";

    public override string Description => "Save one or more images to a tar archive (streamed to STDOUT by default)";

    public override IReadOnlyList<string> Aliases => ["berth image save", "berth save"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => int.MaxValue;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("output", 'o', "string", "Write to a file, instead of STDOUT"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var file = args.Last("output");
        if (file is null && !Console.IsOutputRedirected)
        {
            throw new ArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }

        var query = "?" + string.Join("&", args.Positionals.Select(n => "names=" + Uri.EscapeDataString(n)));
        using var response = await context.Client.SendStreamingAsync(HttpMethod.Get, "/images/get" + query, null, null, cancellationToken).ConfigureAwait(false);
        var archive = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);

        // Into a temporary file first, as docker does: a failed save never leaves half an archive under the name asked for.
        var target = file is null ? Console.OpenStandardOutput() : new FileStream(file + ".berth-tmp", FileMode.Create, FileAccess.Write);
        await using (target.ConfigureAwait(false))
        {
            await archive.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }

        if (file is not null)
        {
            File.Move(file + ".berth-tmp", file, overwrite: true);
        }

        return ExitCodes.Success;
    }
}
