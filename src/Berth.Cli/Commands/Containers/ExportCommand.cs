using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth export [-o FILE] CONTAINER</c>: <c>GET /containers/{c}/export</c>, the tar streamed to the file (written beside it
/// and renamed at the end, mode 0600, as docker's atomic writer) or to a redirected stdout; never to a terminal.
/// </summary>
public sealed class ExportCommand(string path) : ContainerCommand(path)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public override string Arguments => "[OPTIONS] CONTAINER";

    public override string Description => "Export a container's filesystem as a tar archive";

    public override IReadOnlyList<string> Aliases => ["berth container export", "berth export"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("output", 'o', "string", "Write to a file, instead of STDOUT"),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var file = args.Last("output") is { Length: > 0 } given ? System.IO.Path.GetFullPath(given) : null;
        if (file is null && context.Console.Terminal.IsOutputTerminal)
        {
            throw new ArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }

        var temporary = file is null ? null : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, "." + System.IO.Path.GetFileName(file) + ".berth-tmp");
        Stream target;
        try
        {
            target = temporary is null
                ? context.Console.OutBytes
                : new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException("failed to export container: " + e.Message, e);
        }

        try
        {
            using (var response = await context.Client.SendStreamingAsync(HttpMethod.Get, ContainerPath(args.Positionals[0], "/export"), null, null, cancellationToken).ConfigureAwait(false))
            {
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                await (await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)).CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (temporary is not null)
            {
                await target.DisposeAsync().ConfigureAwait(false);
                File.Move(temporary, file!, overwrite: true);
                temporary = null;
            }
        }
        finally
        {
            if (temporary is not null)
            {
                await target.DisposeAsync().ConfigureAwait(false);
                File.Delete(temporary);
            }
        }

        return ExitCodes.Success;
    }
}
