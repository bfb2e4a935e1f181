using System.IO.Pipelines;
using Berth.Cli.Streams;
using Berth.Linux.Filesystems;

namespace Berth.Cli.Commands.Containers;

public sealed partial class CpCommand
{
    private const string TarContentType = "application/x-tar";

    /// <summary>
    /// docker's <c>copyToContainer</c>: the destination's stat (a symlink followed once) decides the shape; stdin's tar goes to a
    /// directory as is; a local path is archived while it uploads, <c>noOverwriteDirNonDir</c> always, <c>copyUIDGID</c> with <c>-a</c>.
    /// </summary>
    private static async Task<int> ToContainerAsync(CommandContext context, Copy copy, CancellationToken cancellationToken)
    {
        var sourcePath = copy.Source == "-" ? "-" : CopyPaths.ResolveLocal(copy.Source, Environment.CurrentDirectory);
        var destinationPath = copy.Destination;
        var stat = await StatAsync(context, copy.Container, destinationPath, cancellationToken).ConfigureAwait(false);
        if (stat is { IsSymlink: true })
        {
            destinationPath = stat.LinkTarget.StartsWith('/') ? stat.LinkTarget : CopyPaths.Join(CopyPaths.SplitDirectoryEntry(copy.Destination).Directory, stat.LinkTarget);
            stat = await StatAsync(context, copy.Container, destinationPath, cancellationToken).ConfigureAwait(false);
        }

        if (stat?.OutputProblem() is { } problem)
        {
            throw new ArgumentException($"destination \"{copy.Container}:{copy.Destination}\" must be a directory or a regular file: {problem}");
        }

        var destination = new CopyDestination(destinationPath, stat is not null, stat?.IsDirectory == true);
        var query = (copy.CopyUidGid ? "copyUIDGID=true&" : "") + "noOverwriteDirNonDir=true&";
        if (sourcePath == "-")
        {
            if (!destination.IsDirectory)
            {
                throw new ArgumentException($"destination \"{copy.Container}:{copy.Destination}\" must be a directory");
            }

            await PutAsync(context, ArchivePath(copy.Container, destination.Path, query), context.Console.InBytes, cancellationToken).ConfigureAwait(false);
            await ReportAsync(context, copy, 0, copy.Container + ":" + destination.Path).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var source = SourceInfo(sourcePath, copy.FollowLink);
        var plan = CopyPlan.Prepare(source, destination);
        var (directory, entry) = CopyPaths.SplitDirectoryEntry(source.Path);
        var pipe = new Pipe();
        var archiving = Task.Run(
            async () =>
            {
                var output = pipe.Writer.AsStream();
                try
                {
                    LocalArchive.Write(directory, entry, plan.Rename, output);
                    await pipe.Writer.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);
        await using var counted = new CountingStream(pipe.Reader.AsStream());
        await PutAsync(context, ArchivePath(copy.Container, plan.Directory, query), counted, cancellationToken).ConfigureAwait(false);
        await archiving.ConfigureAwait(false);
        await ReportAsync(context, copy, counted.Count, copy.Container + ":" + destination.Path).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task PutAsync(CommandContext context, string pathAndQuery, Stream body, CancellationToken cancellationToken)
    {
        using var response = await context.Client.SendStreamingAsync(HttpMethod.Put, pathAndQuery, body, TarContentType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// go-archive's <c>CopyInfoSourcePath</c>: symlinks before the last element are resolved; the last one only with
    /// <c>-L</c>, and then the archive's top entry keeps the name the user gave.
    /// </summary>
    private static CopySource SourceInfo(string path, bool followLink)
    {
        string resolved;
        var rebaseName = "";
        if (followLink)
        {
            var target = Resolve(path);
            (resolved, rebaseName) = CopyPaths.RebaseName(path, target);
        }
        else
        {
            var slash = path.LastIndexOf('/');
            var (directoryPart, basePart) = (path[..(slash + 1)], path[(slash + 1)..]);
            resolved = Resolve(directoryPart.Length == 0 ? "." : directoryPart).TrimEnd('/') + "/" + basePart;
            if (CopyPaths.HasTrailingSeparator(path) && CopyPaths.Base(path) != CopyPaths.Base(resolved))
            {
                rebaseName = CopyPaths.Base(path);
            }
        }

        var status = NodeStatus.Of(resolved.TrimEnd('/').Length == 0 ? "/" : resolved)
            ?? throw new ArgumentException($"lstat {resolved}: no such file or directory");
        return new CopySource(resolved, status.IsDirectory, rebaseName);
    }

    /// <summary>Go's <c>filepath.EvalSymlinks</c>: the absolute path with every symlink in it resolved, element by element.</summary>
    private static string Resolve(string path, int depth = 0)
    {
        var current = "/";
        foreach (var part in System.IO.Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = CopyPaths.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } link)
            {
                next = depth < MaxResolvedLinks
                    ? Resolve(link.StartsWith('/') ? link : CopyPaths.Join(current, link), depth + 1)
                    : throw new ArgumentException($"lstat {path}: too many levels of symbolic links");
            }

            current = next;
        }

        return current;
    }

    /// <summary>Go's <c>filepath.EvalSymlinks</c> limit.</summary>
    private const int MaxResolvedLinks = 255;
}
