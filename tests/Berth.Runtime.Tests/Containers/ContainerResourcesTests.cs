using System.Text.Json.Nodes;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class ContainerResourcesTests
{
    private static readonly ContainerPaths Paths = new("/var/lib/berth/containers/c1");

    private static JsonNode? LinuxResources(ContainerResources resources)
    {
        var spec = new ContainerSpec { Id = "c1", Layers = ["/layers/a"], Cmd = ["sh"], Resources = resources };
        return JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec, Paths)))!["linux"]!["resources"];
    }

    [Fact]
    public void No_limits_write_no_linux_resources()
    {
        Assert.Null(LinuxResources(ContainerResources.None));
    }

    [Fact]
    public void Memory_cpus_and_pids_become_runtime_spec_resources_as_docker_gives_runc()
    {
        var resources = new ContainerResources
        {
            Memory = 64 << 20,
            MemorySwap = 128 << 20,
            MemoryReservation = 32 << 20,
            NanoCpus = 500_000_000,
            CpuShares = 512,
            CpusetCpus = "0-1",
            CpusetMems = "0",
            PidsLimit = 50,
            OomKillDisable = true,
        };

        var linux = LinuxResources(resources)!;

        Assert.Equal(
            """{"limit":67108864,"reservation":33554432,"swap":134217728,"disableOOMKiller":true}""",
            linux["memory"]!.ToJsonString());
        Assert.Equal("""{"shares":512,"quota":50000,"period":100000,"cpus":"0-1","mems":"0"}""", linux["cpu"]!.ToJsonString());
        Assert.Equal("""{"limit":50}""", linux["pids"]!.ToJsonString());
    }

    [Fact]
    public void An_explicit_quota_and_period_pass_through_and_unset_groups_are_left_out()
    {
        var linux = LinuxResources(new ContainerResources { CpuQuota = 25_000, CpuPeriod = 50_000 })!;

        Assert.Equal("""{"quota":25000,"period":50000}""", linux["cpu"]!.ToJsonString());
        Assert.Null(linux["memory"]);
        Assert.Null(linux["pids"]);
    }

    [Theory]
    [InlineData(1_000_000_000L, 100_000L)]
    [InlineData(10_000_000L, 1_000L)]
    [InlineData(1_500_000_000L, 150_000L)]
    public void Nano_cpus_are_a_quota_over_a_100_ms_period(long nanoCpus, long quota)
    {
        Assert.Equal((quota, 100_000L), new ContainerResources { NanoCpus = nanoCpus }.CfsQuota());
    }
}
