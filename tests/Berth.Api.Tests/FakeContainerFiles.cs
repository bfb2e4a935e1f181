using System.Formats.Tar;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Engine;
using Berth.Runtime.Files;

namespace Berth.Api.Tests;

/// <summary>
/// <see cref="IContainerFiles"/> over a dictionary of file contents (path → bytes) shared by every container: enough
/// for the routes' shapes, headers and errors. What the routes passed is recorded in <see cref="Calls"/>.
/// </summary>
internal sealed class FakeContainerFiles : IContainerFiles
{
    public static readonly DateTimeOffset Modified = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public List<FilesystemChange> Changes { get; } = [];

    public List<string> Calls { get; } = [];

    public Task<PathStat> StatAsync(string idOrName, string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(StatOf(idOrName, path));

    public Task<IContainerArchive> ArchiveAsync(string idOrName, string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<IContainerArchive>(new Archive(StatOf(idOrName, path), Files[ContainerPathText.Clean(path)]));

    public async Task ExtractAsync(string idOrName, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken = default)
    {
        using var body = new MemoryStream();
        await tar.CopyToAsync(body, cancellationToken);
        body.Position = 0;
        using var reader = new TarReader(body);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            Files[ContainerPathText.Clean(path + "/" + entry.Name)] = content.ToArray();
        }

        Calls.Add($"extract {idOrName} {path} noOverwriteDirNonDir={noOverwriteDirNonDir} copyUIDGID={copyUidGid}");
    }

    Task<IReadOnlyList<FilesystemChange>> IContainerFiles.ChangesAsync(string idOrName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FilesystemChange>>(Changes);

    public Task<IContainerArchive> ExportAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IContainerArchive>(new Archive(null, Encoding.UTF8.GetBytes("export")));

    public Task<string> CommitAsync(string idOrName, ContainerCommitSpec commit, CancellationToken cancellationToken = default)
    {
        Calls.Add($"commit {idOrName} ref={commit.Reference} comment={commit.Comment} author={commit.Author} pause={commit.Pause} changes={string.Join("|", commit.Changes)}");
        return Task.FromResult("sha256:" + new string('c', 64));
    }

    private PathStat StatOf(string container, string path)
    {
        string clean = ContainerPathText.Clean(path);
        return Files.TryGetValue(clean, out byte[]? content)
            ? new PathStat(ContainerPathText.Base(clean), content.Length, 0x1A4, Modified, "")
            : throw new BerthException(ErrorKind.NotFound, $"Could not find the file {path} in container {container}");
    }

    /// <summary>A one-file tar (or the raw bytes for an export).</summary>
    private sealed class Archive(PathStat? stat, byte[] content) : IContainerArchive
    {
        public PathStat? Stat => stat;

        public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
        {
            if (stat is null)
            {
                await destination.WriteAsync(content, cancellationToken);
                return;
            }

            var writer = new TarWriter(destination, leaveOpen: true);
            await using (writer)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, stat.Name) { DataStream = new MemoryStream(content) }, cancellationToken);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
