using System.Formats.Tar;
using System.Text;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
using Berth.Runtime.IntegrationTests.Containers;
using Berth.Runtime.IntegrationTests.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.IntegrationTests.Build;

/// <summary>
/// Base of the build step tests: an image store under the test's root holding a busybox image imported at test time,
/// and a <see cref="BuildWorkspace"/> over it and the test's runtime. Teardown checks that no build container and no
/// mount under the workspace is left.
/// </summary>
public abstract class BuildTest : RuntimeTest
{
    protected BuildTest()
    {
        Store = new ImageStore(Path.Combine(TestRoot, "store"), NullLogger<ImageStore>.Instance);
        string rootfs = Path.Combine(TestRoot, "busybox-rootfs");
        BusyboxRootfs.Build(rootfs);
        string tar = Path.Combine(TestRoot, "busybox.tar");
        BusyboxRootfs.Tar(rootfs, tar);
        using (var stream = File.OpenRead(tar))
        {
            BusyboxId = Store.ImportAsync(stream, "busybox:test", ["CMD [\"sh\"]"]).GetAwaiter().GetResult();
        }

        WorkspaceDirectory = Path.Combine(TestRoot, "builds");
        Workspace = new BuildWorkspace(WorkspaceDirectory, Store, Runtime);
    }

    protected ImageStore Store { get; }

    protected string BusyboxId { get; }

    protected string WorkspaceDirectory { get; }

    protected BuildWorkspace Workspace { get; }

    /// <summary>A directory of the test to use as a build context.</summary>
    protected string NewContext(string name)
    {
        string directory = Path.Combine(TestRoot, "contexts", name);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Runs <paramref name="command"/> in a container of <paramref name="imageId"/> (the image's env); returns its code and output.</summary>
    protected async Task<(int Code, string Output)> RunImageAsync(string imageId, params string[] command)
    {
        var image = Store.Inspect(imageId);
        string id = "check-" + Guid.NewGuid().ToString("N")[..8];
        var (code, log) = await RunAsync(Spec(id, command) with
        {
            Layers = [.. image.LayerDirectories.Reverse()],
            Env = [.. image.Config.Config?.Env ?? []],
        });
        return (code, string.Join('\n', log.Select(e => e.Text)));
    }

    /// <summary>No container of any snapshot and nothing mounted under the workspace.</summary>
    protected void AssertNothingLeft(BuildSnapshot snapshot)
    {
        Assert.False(Runtime.Exists(snapshot.ContainerId), $"build container {snapshot.ContainerId} is still there");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(WorkspaceDirectory, StringComparison.Ordinal));
    }

    /// <summary>The entry names of a layer tar, without trailing slashes.</summary>
    protected static List<string> ReadLayer(string tarPath)
    {
        using var stream = File.OpenRead(tarPath);
        using var reader = new TarReader(stream);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimEnd('/'));
        }

        return names;
    }

    protected static string Text(IEnumerable<(LogStream Stream, string Text, DateTimeOffset At)> output, LogStream stream) =>
        string.Concat(output.Where(o => o.Stream == stream).Select(o => o.Text));

    /// <summary>An output callback that keeps what arrives, with when it arrived.</summary>
    protected static Func<LogStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask> Collect(List<(LogStream Stream, string Text, DateTimeOffset At)> output) =>
        (stream, bytes, _) =>
        {
            lock (output)
            {
                output.Add((stream, Encoding.UTF8.GetString(bytes.Span), DateTimeOffset.UtcNow));
            }

            return ValueTask.CompletedTask;
        };

    protected override void BeforeTeardown()
    {
        base.BeforeTeardown();
        Store.Dispose();
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(WorkspaceDirectory, StringComparison.Ordinal));
        Assert.Empty(Directory.Exists(WorkspaceDirectory) ? Directory.GetDirectories(WorkspaceDirectory) : []);
    }
}
