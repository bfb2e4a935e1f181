using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class ResourceRulesTests
{
    private const int Cpus = 2;

    [Theory]
    [InlineData(1024L, 0L, 0L, "Minimum memory limit allowed is 6MB")]
    [InlineData(64L << 20, 32L << 20, 0L, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(0L, 32L << 20, 0L, "You should always set the Memory limit when using Memoryswap limit, see usage")]
    [InlineData(0L, 0L, 1024L, "Minimum memory reservation allowed is 6MB")]
    [InlineData(16L << 20, 0L, 32L << 20, "Minimum memory limit can not be less than memory reservation limit, see usage")]
    public void Bad_memory_values_get_dockers_messages(long memory, long swap, long reservation, string message)
    {
        var error = Assert.Throws<BerthException>(() => ResourceRules.Validate(new ContainerResources { Memory = memory, MemorySwap = swap, MemoryReservation = reservation }, Cpus));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(-1L, 0L, 0L, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available")]
    [InlineData(3_000_000_000L, 0L, 0L, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available")]
    [InlineData(500_000_000L, 50_000L, 0L, "Conflicting options: Nano CPUs and CPU Period cannot both be set")]
    [InlineData(500_000_000L, 0L, 50_000L, "Conflicting options: Nano CPUs and CPU Quota cannot both be set")]
    [InlineData(0L, 999L, 0L, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")]
    [InlineData(0L, 1_000_001L, 0L, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")]
    [InlineData(0L, 0L, 500L, "CPU cfs quota can not be less than 1ms (i.e. 1000)")]
    public void Bad_cpu_values_get_dockers_messages(long nanoCpus, long period, long quota, string message)
    {
        var error = Assert.Throws<BerthException>(() => ResourceRules.Validate(new ContainerResources { NanoCpus = nanoCpus, CpuPeriod = period, CpuQuota = quota }, Cpus));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("5", "Requested CPUs are not available - requested 5, available: 0-1")]
    [InlineData("0-3", "Requested CPUs are not available - requested 0-3, available: 0-1")]
    [InlineData("a", "Invalid value a for cpuset cpus: invalid format: a")]
    [InlineData("1-0", "Invalid value 1-0 for cpuset cpus: invalid format: 1-0")]
    public void Bad_cpusets_get_dockers_messages(string cpus, string message)
    {
        var error = Assert.Throws<BerthException>(() => ResourceRules.Validate(new ContainerResources { CpusetCpus = cpus }, Cpus));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_memory_limit_alone_allows_as_much_swap_again_and_unlimited_pids_are_null()
    {
        var valid = ResourceRules.Validate(new ContainerResources { Memory = 16 << 20, PidsLimit = -1, NanoCpus = 2_000_000_000, CpusetCpus = "0,1" }, Cpus);

        Assert.Equal(32L << 20, valid.MemorySwap);
        Assert.Null(valid.PidsLimit);
        Assert.Equal(2_000_000_000, valid.NanoCpus);
    }

    [Fact]
    public void Unlimited_swap_and_a_positive_pids_limit_are_kept()
    {
        var valid = ResourceRules.Validate(new ContainerResources { Memory = 16 << 20, MemorySwap = -1, PidsLimit = 50 }, Cpus);

        Assert.Equal(-1, valid.MemorySwap);
        Assert.Equal(50, valid.PidsLimit);
    }

    [Fact]
    public void Cpuset_lists_parse_ranges_and_singles()
    {
        Assert.Equal([0, 1, 2, 4], ResourceRules.ParseList("0-2,4")!);
        Assert.Null(ResourceRules.ParseList("0,,1"));
        Assert.Null(ResourceRules.ParseList("0-1-2"));
    }
}
