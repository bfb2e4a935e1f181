using System.Formats.Tar;
using Berth.Core.Ignore;

namespace Berth.Cli.Commands;

/// <summary>
/// The build context as the docker CLI sends it: a tar of the directory's entries in name order, those the
/// <c>.dockerignore</c> excludes left out (whole directories skipped when no exception could bring anything back), the
/// Dockerfile and .dockerignore kept (TrimBuildFilesFromExcludes), symlinks as symlinks.
/// </summary>
internal static class BuildContextTar
{
    /// <summary>Writes the tar to <paramref name="tarPath"/>; returns its size.</summary>
    public static async Task<long> WriteAsync(string directory, string dockerfile, string tarPath, CancellationToken cancellationToken)
    {
        string ignoreFile = Path.Combine(directory, DockerIgnore.FileName);
        var matcher = (File.Exists(ignoreFile) ? DockerIgnore.Parse(await File.ReadAllTextAsync(ignoreFile, cancellationToken).ConfigureAwait(false)) : IgnoreMatcher.Empty)
            .KeepingBuildFiles(dockerfile);
        var output = File.Create(tarPath);
        await using (output.ConfigureAwait(false))
        {
            var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                await AddAsync(writer, new DirectoryInfo(directory), "", matcher, cancellationToken).ConfigureAwait(false);
            }

            return output.Length;
        }
    }

    private static async Task AddAsync(TarWriter writer, DirectoryInfo directory, string relative, IgnoreMatcher matcher, CancellationToken cancellationToken)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            string name = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            bool isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            if (isDirectory && matcher.CanSkipDirectory(name))
            {
                continue;
            }

            if (!matcher.IsExcluded(name))
            {
                await writer.WriteEntryAsync(entry.FullName, isDirectory ? name + "/" : name, cancellationToken).ConfigureAwait(false);
            }

            if (isDirectory)
            {
                await AddAsync(writer, (DirectoryInfo)entry, name, matcher, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
