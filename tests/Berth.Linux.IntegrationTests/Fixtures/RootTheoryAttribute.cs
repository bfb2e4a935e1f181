namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>The <see cref="TheoryAttribute"/> counterpart of <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!RootFactAttribute.IsRoot && !RootFactAttribute.IsCi)
        {
            Skip = "needs root (network namespaces, links, nftables); CI runs it as root";
        }
    }
}
