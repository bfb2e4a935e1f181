using System.Formats.Tar;
using Berth.Cli.Commands;

namespace Berth.Cli.Tests;

/// <summary>The context <c>berth build</c> sends: .dockerignore applied as the docker CLI applies it.</summary>
public sealed class BuildContextTarTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "berth-cli-build-" + Guid.NewGuid().ToString("N")[..12]);

    public BuildContextTarTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task ExcludedEntriesAreLeftOutButTheDockerfileAndDockerignoreAreSent()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "Dockerfile\n.dockerignore\n*.log\nbuild\n!build/keep.txt\nnode_modules\n");
        Write("app.txt", "app");
        Write("debug.log", "log");
        Write("build/out.bin", "bin");
        Write("build/keep.txt", "keep");
        Write("node_modules/a/index.js", "js");
        string tar = Path.Combine(directory, "..", Path.GetFileName(directory) + ".tar");
        try
        {
            long size = await BuildContextTar.WriteAsync(directory, "Dockerfile", tar, CancellationToken.None);
            Assert.Equal(new FileInfo(tar).Length, size);
            // An excluded directory with an exception below it is walked but not sent itself (go-archive does the same).
            Assert.Equal([".dockerignore", "Dockerfile", "app.txt", "build/keep.txt"], Names(tar));
        }
        finally
        {
            File.Delete(tar);
        }
    }

    private void Write(string name, string content)
    {
        string path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static List<string> Names(string tar)
    {
        using var stream = File.OpenRead(tar);
        using var reader = new TarReader(stream);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }
}
