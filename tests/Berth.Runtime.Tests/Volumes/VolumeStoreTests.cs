using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Volumes;
using Berth.Store;

namespace Berth.Runtime.Tests.Volumes;

public sealed class VolumeStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-volumes-" + Guid.NewGuid().ToString("N"));
    private readonly InMemoryStateStore _state = new();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task CreateRecordsTheVolumeAndMakesItsDirectoryAndASecondCreateReturnsIt()
    {
        using var volumes = await OpenAsync();
        var created = await volumes.CreateAsync("data", "local", labels: new Dictionary<string, string> { ["team"] = "a" });

        Assert.Equal(VolumePhase.Ready, created.Phase);
        Assert.Equal(Path.Combine(_root, "data", "_data"), volumes.MountpointOf("data"));
        Assert.True(Directory.Exists(volumes.MountpointOf("data")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(volumes.MountpointOf("data")));
        Assert.Null(created.Options);
        Assert.NotNull(await _state.GetAsync("volumes/data"));

        // Docker returns the existing volume; labels of the second request do not change it.
        var again = await volumes.CreateAsync("data", labels: new Dictionary<string, string> { ["team"] = "b" });
        Assert.Equal("a", again.Labels!["team"]);
        Assert.Equal(["data"], volumes.List().Select(v => v.Name));
    }

    [Fact]
    public async Task AnEmptyNameMakesAnAnonymousVolumeWithA64HexName()
    {
        using var volumes = await OpenAsync();
        var anonymous = await volumes.CreateAsync("");
        Assert.Matches("^[0-9a-f]{64}$", anonymous.Name);
        Assert.True(anonymous.Anonymous);
        Assert.Equal("", anonymous.Labels![VolumeNames.AnonymousLabel]);
        Assert.False((await volumes.CreateAsync("named")).Anonymous);
    }

    [Theory]
    [InlineData("a", null, null, ErrorKind.InvalidArgument, "create a: volume name is too short, names should be at least two alphanumeric characters")]
    [InlineData("_x", null, null, ErrorKind.InvalidArgument, "create _x: \"_x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("ok", "nfs-plugin", null, ErrorKind.NotFound, "create ok: error looking up volume plugin nfs-plugin: plugin \"nfs-plugin\" not found (Berth has only the \"local\" driver)")]
    [InlineData("ok", null, "foo", ErrorKind.InvalidArgument, "create ok: invalid option: \"foo\"")]
    [InlineData("ok", null, "type", ErrorKind.InvalidArgument, "create ok: option \"type\" of the local driver (tmpfs, NFS or device volumes) is not supported by Berth: its volumes are directories under --root; leave out --opt")]
    public async Task BadRequestsAreRefusedAndMakeNothing(string name, string? driver, string? option, ErrorKind kind, string message)
    {
        using var volumes = await OpenAsync();
        var options = option is null ? null : new Dictionary<string, string> { [option] = "x" };
        var error = await Assert.ThrowsAsync<BerthException>(() => volumes.CreateAsync(name, driver, options));
        Assert.Equal((kind, message), (error.Kind, error.Message));
        Assert.Empty(volumes.List());
        Assert.Empty(await _state.ListAsync("volumes/"));
        Assert.Empty(Directory.EnumerateDirectories(_root));
    }

    [Fact]
    public async Task RemoveTakesRecordAndDataAndAMissingVolumeIsDockersNotFound()
    {
        using var volumes = await OpenAsync();
        await volumes.CreateAsync("gone");
        await File.WriteAllTextAsync(Path.Combine(volumes.MountpointOf("gone"), "f"), "12345");
        Assert.Equal(5, volumes.SizeOf("gone"));

        await volumes.RemoveAsync("gone");
        Assert.False(Directory.Exists(Path.Combine(_root, "gone")));
        Assert.Null(await _state.GetAsync("volumes/gone"));
        var error = Assert.Throws<BerthException>(() => volumes.Get("gone"));
        Assert.Equal((ErrorKind.NotFound, "get gone: no such volume"), (error.Kind, error.Message));
    }

    [Fact]
    public async Task RestoreFinishesWhatACrashInterruptedAndRemakesALostDirectory()
    {
        // A crash after the Creating record (directory half made), one during removal, one ready whose directory vanished.
        await PutAsync("half", VolumePhase.Creating);
        Directory.CreateDirectory(Path.Combine(_root, "half", "_data"));
        await PutAsync("dying", VolumePhase.Removing);
        Directory.CreateDirectory(Path.Combine(_root, "dying", "_data"));
        await File.WriteAllTextAsync(Path.Combine(_root, "dying", "_data", "f"), "x");
        await PutAsync("ready", VolumePhase.Ready);

        using var volumes = await OpenAsync();

        Assert.Equal(["ready"], volumes.List().Select(v => v.Name));
        Assert.True(Directory.Exists(volumes.MountpointOf("ready")));
        Assert.False(Directory.Exists(Path.Combine(_root, "half")));
        Assert.False(Directory.Exists(Path.Combine(_root, "dying")));
        Assert.Equal(["volumes/ready"], (await _state.ListAsync("volumes/")).Select(e => e.Key));
    }

    [Fact]
    public async Task RecordsSurviveAReopen()
    {
        using (var first = await OpenAsync())
        {
            await first.CreateAsync("kept", labels: new Dictionary<string, string> { ["k"] = "v" }, options: null);
        }

        using var second = await OpenAsync();
        var kept = second.Get("kept");
        Assert.Equal(("local", "v"), (kept.Driver, kept.Labels!["k"]));
    }

    private async Task<VolumeStore> OpenAsync()
    {
        var store = new VolumeStore(_state, _root);
        await store.RestoreAsync();
        return store;
    }

    private Task PutAsync(string name, VolumePhase phase) =>
        _state.PutAsync("volumes/" + name, Encoding.UTF8.GetBytes($"{{\"Name\":\"{name}\",\"Driver\":\"local\",\"CreatedAt\":\"2026-01-01T00:00:00+00:00\",\"Phase\":\"{phase}\"}}"));
}
