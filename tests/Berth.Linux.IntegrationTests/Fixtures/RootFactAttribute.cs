namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// A test that needs root (namespaces, links, nftables). Skipped with a reason on a developer's
/// machine without root; under CI (CI=true) it runs regardless, so a missing privilege fails loudly.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsRoot && !IsCi)
        {
            Skip = "needs root (network namespaces, links, nftables); CI runs it as root";
        }
    }

    internal static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    internal static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    [System.Runtime.InteropServices.DllImport("libc.so.6")]
    private static extern uint geteuid();
}
