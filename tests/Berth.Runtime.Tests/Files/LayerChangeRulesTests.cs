using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Runtime.Engine;
using Berth.Runtime.Files;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Files;

/// <summary>moby's rules for what a change is, Berth's init paths, and <c>docker commit --change</c>.</summary>
public sealed class LayerChangeRulesTests
{
    private static NodeStatus Node(uint mode, long size = 10, long seconds = 100, uint nanos = 0, uint uid = 0, uint rdevMajor = 0, uint rdevMinor = 0) =>
        new(mode, uid, 0, size, 1, 1, 0, 0, rdevMajor, rdevMinor, seconds, nanos);

    [Fact]
    public void A_copied_up_file_with_the_same_metadata_is_no_change_but_any_difference_is()
    {
        Assert.False(LayerChanges.StatDifferent(Node(0x81A4), Node(0x81A4)));
        Assert.True(LayerChanges.StatDifferent(Node(0x81A4), Node(0x81ED)));
        Assert.True(LayerChanges.StatDifferent(Node(0x81A4), Node(0x81A4, uid: 1)));
        Assert.True(LayerChanges.StatDifferent(Node(0x81A4), Node(0x81A4, size: 11)));
        Assert.True(LayerChanges.StatDifferent(Node(0x81A4), Node(0x81A4, seconds: 101)));
        Assert.True(LayerChanges.StatDifferent(Node(0x21A4), Node(0x21A4, rdevMajor: 1)));
    }

    [Fact]
    public void Directories_ignore_size_and_time_and_times_compare_to_the_second_when_one_side_has_no_nanoseconds()
    {
        Assert.False(LayerChanges.StatDifferent(Node(0x41ED, size: 4096, seconds: 1), Node(0x41ED, size: 60, seconds: 9)));
        Assert.True(LayerChanges.SameTime(Node(0x81A4, nanos: 0), Node(0x81A4, nanos: 5)));
        Assert.False(LayerChanges.SameTime(Node(0x81A4, nanos: 4), Node(0x81A4, nanos: 5)));
    }

    [Fact]
    public void A_whiteout_is_a_0_0_character_device() =>
        Assert.True(Node(0x2000).IsWhiteout && !Node(0x2000, rdevMajor: 1, rdevMinor: 3).IsWhiteout);

    [Theory]
    [InlineData("/etc/hosts", true)]
    [InlineData("/proc", true)]
    [InlineData("/dev/shm/x", true)]
    [InlineData("/etc/passwd", false)]
    [InlineData("/devices", false)]
    public void Berths_own_mount_points_are_left_out(string path, bool left) => Assert.Equal(left, InitPaths.Contains(path));

    [Fact]
    public void Commit_changes_set_the_config_and_refuse_what_moby_refuses_with_its_words()
    {
        var config = ImportChanges.ApplyCommit(new ContainerConfig { Env = ["A=0", "B=1"] },
            ["CMD [\"cat\",\"/hello\"]", "ENV A=2", "EXPOSE 80/udp 81", "LABEL a=b", "ONBUILD RUN echo hi", "USER nobody", "VOLUME /v", "WORKDIR /w", "ENTRYPOINT /bin/sh -c", "STOPSIGNAL SIGINT"]);
        Assert.Equal(["cat", "/hello"], config.Cmd);
        Assert.Equal(["B=1", "A=2"], config.Env);
        Assert.Equal(["80/udp", "81/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["RUN echo hi"], config.OnBuild);
        Assert.Equal(["/bin/sh", "-c", "/bin/sh -c"], config.Entrypoint);
        Assert.Equal(("nobody", "/w", "SIGINT"), (config.User, config.WorkingDir, config.StopSignal));

        var refused = Assert.Throws<BerthException>(() => ImportChanges.ApplyCommit(new ContainerConfig(), ["RUN echo no", "COPY a b"]));
        Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
        Assert.Equal("run is not a valid change command; copy is not a valid change command", refused.Message);
        Assert.Throws<BerthException>(() => ImportChanges.Apply(new ContainerConfig(), ["ONBUILD RUN x"]));
    }

    [Fact]
    public void The_committed_config_is_the_images_with_the_containers_settings_over_it()
    {
        var image = new ImageDetails("sha256:1", [], DateTimeOffset.UnixEpoch, 0,
            new ImageConfig { Config = new ContainerConfig { Env = ["PATH=/bin", "A=image"], Cmd = ["sh"], Labels = new Dictionary<string, string> { ["from"] = "image" }, WorkingDir = "/img" } }, []);
        var record = new ContainerRecord
        {
            Id = Core.Containers.ContainerId.New(),
            Name = "c",
            Created = DateTimeOffset.UnixEpoch,
            ImageId = "sha256:1",
            Spec = new ContainerCreateSpec { Image = "img", Env = ["A=container"], Cmd = ["sleep", "1"], Labels = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("mine", "1") },
        };
        var config = ContainerFiles.ConfigOf(record, image);
        Assert.Equal(["PATH=/bin", "A=container"], config.Env);
        Assert.Equal(["sleep", "1"], config.Cmd);
        Assert.Equal("/img", config.WorkingDir);
        Assert.Equal(["from", "mine"], config.Labels!.Keys.Order(StringComparer.Ordinal));
    }
}
