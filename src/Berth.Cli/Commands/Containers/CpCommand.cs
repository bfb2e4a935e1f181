using Berth.Cli.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// <c>berth cp</c>, docker's copy between a container and the local filesystem: <c>CONTAINER:SRC DEST|-</c> reads
/// <c>GET /containers/{c}/archive</c> and unpacks it here; <c>SRC|- CONTAINER:DEST</c> asks <c>HEAD …/archive</c> what the
/// destination is and uploads an archive shaped for it with <c>PUT …/archive</c>. The shape follows go-archive's
/// <c>PrepareArchiveCopy</c>: into an existing directory as is; onto a file, or to a new name, with the top entry renamed.
/// Without a terminal on stdout (or with <c>-q</c>) nothing is printed, as docker; else "Successfully copied SIZE to DEST".
/// </summary>
public sealed partial class CpCommand(string path) : ContainerCommand(path)
{
    private const int SizePrecision = 3;

    public override string Arguments => "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH";

    public override string Description => "Copy files/folders between a container and the local filesystem";

    public override IReadOnlyList<string> Aliases => ["berth container cp", "berth cp"];

    protected override int MinArguments => 2;

    protected override int MaxArguments => 2;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("archive", 'a', null, "Archive mode (copy all uid/gid information)"),
        new("follow-link", 'L', null, "Always follow symbol link in SRC_PATH"),
        new("quiet", 'q', null, "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"),
    ];

    /// <summary>What one copy needs: the container, both paths as given (local ones made absolute) and the flags.</summary>
    private sealed record Copy(string Container, string Source, string Destination, bool FollowLink, bool CopyUidGid, bool Quiet);

    protected override Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var (source, destination) = (args.Positionals[0], args.Positionals[1]);
        if (source.Length == 0)
        {
            throw new ArgumentException("source can not be empty");
        }

        if (destination.Length == 0)
        {
            throw new ArgumentException("destination can not be empty");
        }

        var quiet = args.Has("quiet") ? args.IsSet("quiet") : !context.Console.Terminal.IsOutputTerminal;
        var (sourceContainer, sourcePath) = CopyPaths.SplitArgument(source);
        var (destinationContainer, destinationPath) = CopyPaths.SplitArgument(destination);
        var followLink = args.IsSet("follow-link");
        var copyUidGid = args.IsSet("archive");
        return (sourceContainer.Length > 0, destinationContainer.Length > 0) switch
        {
            (true, true) => throw new ArgumentException("copying between containers is not supported"),
            (false, false) => throw new ArgumentException("must specify at least one container source"),
            (true, false) => FromContainerAsync(context, new Copy(sourceContainer, sourcePath, destinationPath, followLink, copyUidGid, quiet), cancellationToken),
            (false, true) => ToContainerAsync(context, new Copy(destinationContainer, sourcePath, destinationPath, followLink, copyUidGid, quiet), cancellationToken),
        };
    }

    /// <summary><c>HEAD /containers/{c}/archive?path=</c>: the path's stat, or null when the daemon says it is not there (or fails).</summary>
    private static async Task<ContainerPathStat?> StatAsync(CommandContext context, string container, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await context.Client.SendStreamingAsync(HttpMethod.Head, ArchivePath(container, path), null, null, cancellationToken).ConfigureAwait(false);
            return ContainerPathStat.FromHeader(response.Headers.TryGetValues(ContainerPathStat.HeaderName, out var values) ? values : null);
        }
        catch (DaemonErrorException)
        {
            return null;
        }
    }

    private static string ArchivePath(string container, string path, string before = "") =>
        ContainerPath(container, "/archive") + "?" + before + "path=" + Uri.EscapeDataString(path);

    private static async Task ReportAsync(CommandContext context, Copy copy, long bytes, string destination)
    {
        if (!copy.Quiet)
        {
            await context.Err.WriteLineAsync($"Successfully copied {GoUnits.HumanSize(bytes, SizePrecision)} to {destination}").ConfigureAwait(false);
        }
    }
}
