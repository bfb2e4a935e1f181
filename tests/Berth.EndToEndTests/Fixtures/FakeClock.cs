using Xunit;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// libfaketime's variables for a berthd whose wall clock is moved; the monotonic clock is left alone (timers, leases'
/// keep-alive). etcd, a Go program reading the vDSO, keeps the real clock.
/// </summary>
internal static class FakeClock
{
    private const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

    /// <summary>The wall clock moved by a fixed <paramref name="offset"/> (libfaketime's form, e.g. <c>-50m</c>).</summary>
    public static Dictionary<string, string> Offset(string offset) => With(new() { ["FAKETIME"] = offset });

    /// <summary>The wall clock moved by what <paramref name="file"/> says, read again every second.</summary>
    public static Dictionary<string, string> FromFile(string file) =>
        With(new() { ["FAKETIME_TIMESTAMP_FILE"] = file, ["FAKETIME_CACHE_DURATION"] = "1" });

    private static Dictionary<string, string> With(Dictionary<string, string> variables)
    {
        Assert.True(File.Exists(Library), $"{Library} is missing: apt-get install faketime (scripts/install-deps.sh)");
        variables["LD_PRELOAD"] = Library;
        variables["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
        return variables;
    }
}
