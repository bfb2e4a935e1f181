using Berth.Cli.Streams;

namespace Berth.Cli.Commands.Containers;

public sealed partial class CpCommand
{
    /// <summary>docker's <c>copyFromContainer</c>: the container's archive to stdout as is, or unpacked by go-archive's <c>CopyTo</c>.</summary>
    private static async Task<int> FromContainerAsync(CommandContext context, Copy copy, CancellationToken cancellationToken)
    {
        var destination = copy.Destination == "-" ? "-" : CopyPaths.ResolveLocal(copy.Destination, Environment.CurrentDirectory);
        if (destination != "-")
        {
            ValidateOutputPath(destination);
        }

        var sourcePath = copy.Source;
        var rebaseName = "";
        if (copy.FollowLink && await StatAsync(context, copy.Container, sourcePath, cancellationToken).ConfigureAwait(false) is { IsSymlink: true } linkStat)
        {
            var linkTarget = linkStat.LinkTarget.StartsWith('/') ? linkStat.LinkTarget : CopyPaths.Join(CopyPaths.SplitDirectoryEntry(sourcePath).Directory, linkStat.LinkTarget);
            (sourcePath, rebaseName) = CopyPaths.RebaseName(sourcePath, linkTarget);
        }

        using var response = await context.Client.SendStreamingAsync(HttpMethod.Get, ArchivePath(copy.Container, sourcePath), null, null, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (destination == "-")
        {
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await body.CopyToAsync(context.Console.OutBytes, cancellationToken).ConfigureAwait(false);
            await context.Console.OutBytes.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var stat = ContainerPathStat.FromHeader(response.Headers.TryGetValues(ContainerPathStat.HeaderName, out var values) ? values : null);
        var source = new CopySource(sourcePath, stat?.IsDirectory == true, rebaseName);
        var target = DestinationInfo(destination);
        var plan = CopyPlan.Prepare(source, target);
        await using var counted = new CountingStream(body);
        await Task.Run(() => LocalArchive.Extract(counted, plan.Directory, plan.Rename), cancellationToken).ConfigureAwait(false);
        await ReportAsync(context, copy, counted.Count, destination).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>docker's <c>ValidateOutputPath</c>: the parent must exist; an existing path must be a directory or a regular file.</summary>
    private static void ValidateOutputPath(string path)
    {
        var parent = CopyPaths.Dir(CopyPaths.Clean(path));
        if (!Directory.Exists(parent) && !File.Exists(parent))
        {
            throw new ArgumentException($"invalid output path: directory \"{parent}\" does not exist");
        }

        if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.Device) != 0)
        {
            throw new ArgumentException($"invalid output path: \"{path}\" must be a directory or a regular file: got a device");
        }
    }

    /// <summary>
    /// go-archive's <c>CopyInfoDestinationPath</c> on this machine: a final symlink is followed (at most
    /// <see cref="MaxSymlinks"/> times); a missing path is fine when its parent is a directory.
    /// </summary>
    private static CopyDestination DestinationInfo(string path)
    {
        var original = path;
        for (var hops = 0; ; hops++)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } link)
            {
                break;
            }

            if (hops >= MaxSymlinks)
            {
                throw new ArgumentException("too many symlinks in " + original);
            }

            path = link.StartsWith('/') ? link : CopyPaths.Join(CopyPaths.SplitDirectoryEntry(path).Directory, link);
        }

        if (Directory.Exists(path))
        {
            return new CopyDestination(path, Exists: true, IsDirectory: true);
        }

        if (File.Exists(path))
        {
            return new CopyDestination(path, Exists: true, IsDirectory: false);
        }

        var parent = CopyPaths.SplitDirectoryEntry(path).Directory;
        return Directory.Exists(parent) ? new CopyDestination(path, Exists: false, IsDirectory: false)
            : File.Exists(parent) ? throw new ArgumentException("not a directory")
            : throw new ArgumentException($"stat {parent}: no such file or directory");
    }

    /// <summary>go-archive's bound on following a destination's symlinks.</summary>
    private const int MaxSymlinks = 10;
}
