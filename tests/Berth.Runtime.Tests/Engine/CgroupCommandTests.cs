using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Cgroups;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Berth.Runtime.Tests.Engine.Fakes;

namespace Berth.Runtime.Tests.Engine;

/// <summary>Pause, update and top through the engine (fake runtime): Docker's errors, the record as the truth, the events.</summary>
public sealed class CgroupCommandTests
{
    [Fact]
    public async Task Pause_and_unpause_flip_the_record_with_dockers_conflicts_and_events()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("c1");
        string id = record.Id.Value;
        Assert.Equal($"Container {id} is not running", (await Assert.ThrowsAsync<BerthException>(() => engine.Cgroups.PauseAsync("c1"))).Message);
        Assert.Equal($"Container {id} is not paused", (await Assert.ThrowsAsync<BerthException>(() => engine.Cgroups.UnpauseAsync("c1"))).Message);

        await engine.Lifecycle.StartAsync("c1");
        await engine.Cgroups.PauseAsync("c1");
        Assert.True(engine.Records.Get(record.Id).Paused);
        Assert.True(engine.Runtime.Paused.ContainsKey(id));
        var again = await Assert.ThrowsAsync<BerthException>(() => engine.Cgroups.PauseAsync("c1"));
        Assert.Equal((ErrorKind.Conflict, $"Container {id} is already paused"), (again.Kind, again.Message));

        await engine.Cgroups.UnpauseAsync("c1");
        Assert.False(engine.Records.Get(record.Id).Paused);
        Assert.False(engine.Runtime.Paused.ContainsKey(id));
        using var events = engine.Events.Subscribe();
        Assert.Equal(["create", "start", "pause", "unpause"], events.History.Where(e => e.ActorId == id).Select(e => e.Action).ToArray());
    }

    [Fact]
    public async Task A_stop_thaws_a_paused_container_and_its_exit_clears_the_flag()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("c1");
        await engine.Lifecycle.StartAsync("c1");
        await engine.Cgroups.PauseAsync("c1");
        var rm = await Assert.ThrowsAsync<BerthException>(() => engine.Lifecycle.RemoveAsync("c1", force: false, removeVolumes: false));
        Assert.Contains("cannot remove a paused container", rm.Message, StringComparison.Ordinal);

        await engine.Lifecycle.StopAsync("c1", TimeSpan.FromSeconds(1));
        await EngineHarness.EventuallyAsync(() => engine.Records.Get(record.Id).Status == Runtime.Engine.ContainerStatus.Exited, "the exit");
        Assert.False(engine.Records.Get(record.Id).Paused);
        Assert.False(engine.Runtime.Paused.ContainsKey(record.Id.Value));
    }

    [Fact]
    public async Task Update_applies_the_request_live_and_stores_the_merge()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("c1");
        await engine.Lifecycle.StartAsync("c1");
        await engine.Records.SaveAsync(record.Id, r => r with { Spec = r.Spec with { Resources = new ContainerResources { Memory = 256 << 20, MemorySwap = 512 << 20, CpuShares = 512 } } });

        var warnings = await engine.Cgroups.UpdateAsync("c1", new ContainerUpdate(new ContainerResources { Memory = 32 << 20, PidsLimit = 0 }, new RestartPolicy("on-failure", 2)));
        Assert.Empty(warnings);
        var (_, live) = Assert.Single(engine.Runtime.Updates);
        Assert.Equal(32L << 20, live.Memory);
        Assert.Equal(-1L, live.ToOciUpdate().Pids!.Limit);
        Assert.Null(live.ToOciUpdate().Cpu);

        var stored = engine.Records.Get(record.Id).Spec;
        Assert.Equal((32L << 20, 512L << 20, 512L, (long?)null), (stored.Resources.Memory, stored.Resources.MemorySwap, stored.Resources.CpuShares, stored.Resources.PidsLimit));
        Assert.Equal(new RestartPolicy("on-failure", 2), stored.RestartPolicy);

        var conflict = await Assert.ThrowsAsync<BerthException>(() => engine.Cgroups.UpdateAsync("c1", new ContainerUpdate(new ContainerResources { Memory = 1L << 30 }, null)));
        Assert.Equal((ErrorKind.Conflict, $"Cannot update container {record.Id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"), (conflict.Kind, conflict.Message));
        Assert.Single(engine.Runtime.Updates);
    }

    [Fact]
    public async Task A_removed_on_exit_container_keeps_no_restart_policy()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("c1", autoRemove: true);
        var error = await Assert.ThrowsAsync<BerthException>(() => engine.Cgroups.UpdateAsync("c1", new ContainerUpdate(ContainerResources.None, new RestartPolicy("always"))));
        Assert.Equal($"Cannot update container {record.Id}: Restart policy cannot be updated because AutoRemove is enabled for the container", error.Message);
        Assert.Empty(await engine.Cgroups.UpdateAsync("c1", new ContainerUpdate(ContainerResources.None, new RestartPolicy("no"))));
    }

    [Fact]
    public void Update_conflicts_between_nano_cpus_and_cfs_values_are_mobys()
    {
        var nano = new ContainerResources { NanoCpus = 500_000_000 };
        var error = Assert.Throws<BerthException>(() => ResourceUpdate.Merge("c", nano, new ContainerResources { CpuPeriod = 50_000 }, 2, CgroupSupport.All));
        Assert.Equal("Cannot update container c: Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set", error.Message);
        var quota = new ContainerResources { CpuQuota = 50_000 };
        error = Assert.Throws<BerthException>(() => ResourceUpdate.Merge("c", quota, nano, 2, CgroupSupport.All));
        Assert.Equal("Cannot update container c: Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set", error.Message);

        // Swap without memory is refused at create, not in an update; a bad value is the same 400 as at create.
        var (_, merged, _) = ResourceUpdate.Merge("c", new ContainerResources { Memory = 64 << 20, MemorySwap = 128 << 20 }, new ContainerResources { MemorySwap = -1 }, 2, CgroupSupport.All);
        Assert.Equal(-1L, merged.MemorySwap);
        Assert.Equal("Minimum memory limit allowed is 6MB",
            Assert.Throws<BerthException>(() => ResourceUpdate.Merge("c", ContainerResources.None, new ContainerResources { Memory = 1024 }, 2, CgroupSupport.All)).Message);
    }

    [Fact]
    public void Top_keeps_the_containers_rows_with_their_thread_lines_and_the_commands_spaces()
    {
        const string Output = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 10:00 ?        00:00:01 /sbin/init
            root        4242    4200  0 10:01 ?        00:00:00 sh -c while :; do :; done
            root           -       -  0 10:01 ?        00:00:00 -
            root        4300    4200  0 10:01 ?        00:00:00 sleep 600
            """;
        var (titles, processes) = ContainerTop.Parse(Output, new HashSet<int> { 4242 });
        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], titles.ToArray());
        Assert.Equal(2, processes.Length);
        Assert.Equal("sh -c while :; do :; done", processes[0][^1]);
        Assert.Equal("-", processes[1][1]);
        Assert.Equal("Couldn't find PID field in ps output", Assert.Throws<BerthException>(() => ContainerTop.Parse("UID CMD\n", new HashSet<int>())).Message);
        Assert.Equal("specifying \"user=PID\" is not allowed", Assert.Throws<BerthException>(() => ContainerTop.ValidateArgs("-o user=PID")).Message);
        ContainerTop.ValidateArgs("-o pid=PID,comm");
    }

    [Fact]
    public void Create_drops_what_the_host_lacks_with_dockers_warnings_and_refuses_bad_values()
    {
        var none = new CgroupSupport();
        var (resources, warnings) = ResourceRules.Check(new ContainerResources { BlkioWeight = 300, MemorySwappiness = 10, Memory = 64 << 20 }, 2, none);
        Assert.Equal((0, (long?)null, 128L << 20), (resources.BlkioWeight, resources.MemorySwappiness, resources.MemorySwap));
        Assert.Equal(
            ["Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.",
             "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."],
            warnings.ToArray());
        Assert.Empty(ResourceRules.Check(new ContainerResources { BlkioWeight = 300, MemorySwappiness = -1 }, 2, CgroupSupport.All).Warnings);
        Assert.Null(ResourceRules.Check(new ContainerResources { MemorySwappiness = -1 }, 2, CgroupSupport.All).Resources.MemorySwappiness);

        (ContainerResources Resources, string Message)[] refused =
        [
            (new() { BlkioWeight = 5 }, "Range of blkio weight is from 10 to 1000"),
            (new() { MemorySwappiness = 101 }, "Invalid value: 101, valid memory swappiness range is 0-100"),
            (new() { Ulimits = [new Ulimit("nofile", 2048, 1024)] }, "ulimit soft limit must be less than or equal to hard limit: 2048 > 1024"),
            (new() { Ulimits = [new Ulimit("files", 1, 1)] }, "invalid ulimit type: files"),
            (new() { BlkioDeviceReadBps = [new ThrottleDevice("/dev/berth-no-such-disk", 1)] }, "stat /dev/berth-no-such-disk: no such file or directory"),
        ];
        foreach (var (bad, message) in refused)
        {
            var error = Assert.Throws<BerthException>(() => ResourceRules.Check(bad, 2, CgroupSupport.All));
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ulimits_replace_dockers_nofile_and_shm_size_sizes_dev_shm()
    {
        var spec = new ContainerSpec
        {
            Id = "c1",
            Layers = [],
            Cmd = ["true"],
            NoFile = 1048576,
            ShmSize = 32 << 20,
            Resources = new ContainerResources { Ulimits = [new Ulimit("nofile", 1024, 2048), new Ulimit("nproc", 10, 20)] },
        };
        ImmutableArray<Runtime.Containers.Oci.OciRlimit> rlimits = OciSpecBuilder.Rlimits(spec);
        Assert.Equal([new("RLIMIT_NOFILE", 2048, 1024), new("RLIMIT_NPROC", 20, 10)], rlimits.ToArray());
        var shm = OciSpecBuilder.Build(spec, new ContainerPaths("/nonexistent/bundle")).Mounts.Single(m => m.Destination == "/dev/shm");
        Assert.Contains("size=33554432", shm.Options);
    }
}
