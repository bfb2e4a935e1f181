namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// A <see cref="RootFactAttribute"/> of the long tier: it runs only under <c>./test.sh long</c> (BERTH_TEST_LONG=1),
/// for tests too slow for every CI run (hundreds of containers, soaks). Skipped with that reason otherwise.
/// </summary>
public sealed class LongRootFactAttribute : FactAttribute
{
    public LongRootFactAttribute()
    {
        if (!IsLong)
        {
            Skip = "long tier: runs with ./test.sh long (BERTH_TEST_LONG=1)";
        }
        else if (!RootFactAttribute.IsRoot && !RootFactAttribute.IsCi)
        {
            Skip = "needs root (network namespaces, links, nftables); CI runs it as root";
        }
    }

    public static bool IsLong => Environment.GetEnvironmentVariable("BERTH_TEST_LONG") == "1";
}
