using Berth.Core.Ignore;

namespace Berth.Build.Engine;

/// <summary>
/// Applies the context's <c>.dockerignore</c> on the daemon's side (the docker CLI filters too, other clients may not):
/// every excluded entry is deleted from the build's copy of the context — the Dockerfile and .dockerignore as well once
/// read, as the classic builder hides them from COPY when excluded.
/// </summary>
internal static class ContextFilter
{
    public static void Apply(string contextDirectory)
    {
        string ignoreFile = Path.Combine(contextDirectory, DockerIgnore.FileName);
        if (!File.Exists(ignoreFile))
        {
            return;
        }

        var matcher = DockerIgnore.Parse(File.ReadAllText(ignoreFile));
        Prune(new DirectoryInfo(contextDirectory), "", matcher);
    }

    private static void Prune(DirectoryInfo directory, string relative, IgnoreMatcher matcher)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            string path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            bool isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            if (isDirectory && matcher.CanSkipDirectory(path))
            {
                ((DirectoryInfo)entry).Delete(recursive: true);
            }
            else if (isDirectory)
            {
                Prune((DirectoryInfo)entry, path, matcher);
            }
            else if (matcher.IsExcluded(path))
            {
                entry.Delete();
            }
        }
    }
}
