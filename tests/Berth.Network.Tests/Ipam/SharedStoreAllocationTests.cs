using System.Diagnostics;
using System.Net;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using Berth.Store;

namespace Berth.Network.Tests.Ipam;

/// <summary>
/// Two OS processes sharing one SQLite store claim addresses of one network at once through the real allocation path
/// (tests/Berth.AllocationProbe runs <see cref="AddressClaims"/> as berthd's endpoint manager does): no address is
/// handed out twice. Needs no root.
/// </summary>
public sealed class SharedStoreAllocationTests : IDisposable
{
    private const int CallersPerProcess = 8;

    /// <summary><c>./test.sh long</c> (BERTH_TEST_LONG=1): 8,000 addresses of a /19 instead of 1,000 of a /22.</summary>
    private static readonly bool Long = Environment.GetEnvironmentVariable("BERTH_TEST_LONG") == "1";
    private static readonly int PerProcess = Long ? 4000 : 500;
    private static readonly string Subnet = Long ? "10.64.0.0/19" : "10.77.0.0/22";

    private readonly string _directory = Directory.CreateTempSubdirectory("berth-ipam-shared-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_processes_on_one_sqlite_file_claim_1000_addresses_of_a_22_without_a_duplicate()
    {
        string path = Path.Combine(_directory, "berth.db");
        var network = NetworkId.New();

        // Made first, so both probes open a migrated file (their concurrent open is safe too, but not what this tests).
        await (await SqliteStateStore.OpenAsync(path)).DisposeAsync();

        using var first = StartProbe(path, network, "daemon-a");
        using var second = StartProbe(path, network, "daemon-b");
        try
        {
            Assert.Equal("ready", await ReadLineAsync(first));
            Assert.Equal("ready", await ReadLineAsync(second));
            await File.WriteAllTextAsync(path + ".go", "");

            var fromFirst = ReadRestAsync(first);
            var fromSecond = ReadRestAsync(second);
            var a = await fromFirst;
            var b = await fromSecond;
            Assert.True(first.ExitCode == 0, $"probe a exited {first.ExitCode}: {await first.StandardError.ReadToEndAsync()}");
            Assert.True(second.ExitCode == 0, $"probe b exited {second.ExitCode}: {await second.StandardError.ReadToEndAsync()}");

            Assert.Equal(PerProcess, a.Count);
            Assert.Equal(PerProcess, b.Count);
            var union = a.Concat(b).ToList();
            Assert.Equal(2 * PerProcess, union.Distinct().Count());
            Assert.All(union, address => Assert.True(IPNetworkMath.Contains(IPNetwork.Parse(Subnet), address)));

            await using var store = await SqliteStateStore.OpenAsync(path);
            var keys = await store.ListAsync(AddressClaims.PrefixOf(network));
            Assert.Equal(2 * PerProcess, keys.Count);
            Assert.Equal(
                union.Select(x => AddressClaims.KeyOf(network, x)).Order(StringComparer.Ordinal),
                keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        }
        finally
        {
            Stop(first);
            Stop(second);
        }
    }

    private static Process StartProbe(string path, NetworkId network, string owner)
    {
        string probe = Path.Combine(AppContext.BaseDirectory, "Berth.AllocationProbe.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing; build tests/Berth.AllocationProbe");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { probe, path, network.Value, Subnet, PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), CallersPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), owner })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the allocation probe");
    }

    private static async Task<string?> ReadLineAsync(Process probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await probe.StandardOutput.ReadLineAsync(timeout.Token);
    }

    private static async Task<List<IPAddress>> ReadRestAsync(Process probe)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var addresses = new List<IPAddress>();
        while (await probe.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != "done")
        {
            addresses.Add(IPAddress.Parse(line));
        }

        await probe.WaitForExitAsync(timeout.Token);
        return addresses;
    }

    private static void Stop(Process probe)
    {
        if (!probe.HasExited)
        {
            probe.Kill(entireProcessTree: true);
            probe.WaitForExit();
        }
    }
}
