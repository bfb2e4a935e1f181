using System.Formats.Tar;
using Berth.Runtime.Files;

namespace Berth.Runtime.Tests.Files;

/// <summary>A step's upper directory as a layer: what the runtime made for its own mounts stays out, as moby's init layer keeps it out.</summary>
public sealed class UpperLayerArchiveTests : IDisposable
{
    private readonly string upper = Directory.CreateTempSubdirectory("berth-upper-").FullName;

    public void Dispose() => Directory.Delete(upper, recursive: true);

    [Fact]
    public async Task AnEtcHoldingOnlyTheRuntimesMountPointsIsNoChange()
    {
        Write("etc/hosts");
        Write("etc/resolv.conf");
        Write("etc/hostname");
        Directory.CreateDirectory(Path.Combine(upper, "proc"));

        Assert.Empty(await EntriesAsync());
    }

    [Fact]
    public async Task AnEtcWithAFileOfTheStepIsWrittenWithoutTheMountPoints()
    {
        Write("etc/hosts");
        Write("etc/passwd");
        Write("etc/ssl/certs/ca.pem");
        Write("app/run.txt");

        Assert.Equal(["app/", "app/run.txt", "etc/", "etc/passwd", "etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca.pem"], (await EntriesAsync()).Order(StringComparer.Ordinal));
    }

    private void Write(string name)
    {
        string path = Path.Combine(upper, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, name);
    }

    private async Task<List<string>> EntriesAsync()
    {
        using var layer = new MemoryStream();
        int written = await UpperLayerArchive.WriteAsync(upper, layer, idMapping: null, CancellationToken.None);
        layer.Position = 0;
        var names = new List<string>();
        using var reader = new TarReader(layer);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }

        Assert.Equal(written, names.Count);
        return names;
    }
}
