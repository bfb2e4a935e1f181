using System.Diagnostics;
using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Xunit.Abstractions;

namespace Berth.Linux.IntegrationTests.Namespaces;

public sealed class NamespaceManagerTests(ITestOutputHelper output) : LabTest
{
    [RootFact]
    public void Create_Open_List_Delete_RoundTrip()
    {
        using (NetnsHandle created = Manager.Create("alpha"))
        {
            Manager.Create("beta").Dispose();

            Assert.True(Manager.Exists("alpha"));
            Assert.Equal(["alpha", "beta"], Manager.List());
            Assert.Equal(Path.Combine(Manager.Directory, "alpha"), Manager.PathOf("alpha"));
            using NetnsHandle opened = Manager.Open("alpha");
            Assert.Equal(created.Inode, opened.Inode);
            Assert.Equal(created.Inode, StatInode(Manager.PathOf("alpha")));
            Assert.NotEqual(HostInode(), opened.Inode);
        }

        Manager.Delete("alpha");
        Manager.Delete("beta");

        Assert.False(Manager.Exists("alpha"));
        Assert.Empty(Manager.List());
        Assert.DoesNotContain(LeakGuard.ListNsfsMounts(), m => m.StartsWith(TestRoot, StringComparison.Ordinal));
    }

    [RootFact]
    public void Create_Duplicate_IsConflictNamingNamespaceAndDirectory()
    {
        Manager.Create("dup").Dispose();

        var error = Assert.ThrowsAny<BerthException>(() => Manager.Create("dup"));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.StartsWith($"network namespace \"dup\" already exists in {Manager.Directory}", error.Message, StringComparison.Ordinal);
        using NetnsHandle stillThere = Manager.Open("dup");
        Manager.Delete("dup");
    }

    [RootFact]
    public void Delete_Missing_IsNotFoundNamingNamespace()
    {
        var error = Assert.ThrowsAny<BerthException>(() => Manager.Delete("ghost"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("\"ghost\"", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Open_Missing_IsNotFound()
    {
        var error = Assert.ThrowsAny<BerthException>(() => Manager.Open("ghost"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("\"ghost\"", error.Message, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("../escape")]
    public void BadNames_AreInvalidArgument_AndCreateNothing(string name)
    {
        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => Manager.Create(name)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => Manager.Delete(name)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => Manager.Open(name)).Kind);
        Assert.Empty(Manager.List());
    }

    [RootFact]
    public void CreateWithWork_RunsWorkInsideTheNewNamespace()
    {
        ulong host = HostInode();

        (NetnsHandle handle, ulong inside) = Manager.Create("inner", CurrentThreadInode);
        using (handle)
        {
            Assert.Equal(StatInode(Manager.PathOf("inner")), inside);
            Assert.Equal(handle.Inode, inside);
            Assert.NotEqual(host, inside);
            Assert.Equal(host, CurrentThreadInode());
        }

        Manager.Delete("inner");
    }

    [RootFact]
    public void CreateWithFailingWork_LeavesNoFileAndNoMount()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Manager.Create<int>("broken", () => throw new InvalidOperationException("boom inside")));

        Assert.Equal("boom inside", error.Message);
        Assert.False(Manager.Exists("broken"));
        Assert.False(File.Exists(Path.Combine(Manager.Directory, "broken")));
        Assert.DoesNotContain(Path.Combine(Manager.Directory, "broken"), LeakGuard.ListNsfsMounts());

        // The name is free again.
        Manager.Create("broken").Dispose();
        Manager.Delete("broken");
    }

    [RootFact]
    public void CreatedNamespace_SeenByNsenterAndIp_HasOnlyLoopback()
    {
        Manager.Create("oracle").Dispose();

        string links = Cmd.Check("nsenter", "--net=" + Manager.PathOf("oracle"), "ip", "-o", "link", "show");

        Assert.Equal(["lo"], links.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(": ")[1]));
        Assert.Contains(Manager.PathOf("oracle"), LeakGuard.ListNsfsMounts());
        Manager.Delete("oracle");
        Assert.DoesNotContain(Manager.PathOf("oracle"), LeakGuard.ListNsfsMounts());
    }

    [RootFact]
    public void Timings_CreateAndDelete()
    {
        const int Count = 200;
        var create = new List<double>(Count);
        var delete = new List<double>(Count);
        Manager.Create("warmup").Dispose();
        Manager.Delete("warmup");

        for (int i = 0; i < Count; i++)
        {
            string name = "t" + i.ToString(CultureInfo.InvariantCulture);
            long start = Stopwatch.GetTimestamp();
            Manager.Create(name).Dispose();
            create.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        for (int i = 0; i < Count; i++)
        {
            string name = "t" + i.ToString(CultureInfo.InvariantCulture);
            long start = Stopwatch.GetTimestamp();
            Manager.Delete(name);
            delete.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        const int RoundTrips = 10_000;
        using NetnsHandle probe = Manager.Create("probe");
        Runner.Run(probe, static () => 0);
        long runStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < RoundTrips; i++)
        {
            Runner.Run(probe, static () => 0);
        }

        double perRun = Stopwatch.GetElapsedTime(runStart).TotalMilliseconds * 1000 / RoundTrips;
        probe.Dispose();
        Manager.Delete("probe");

        output.WriteLine($"runner round trip (setns there and back, sync Run): {perRun:0.0} µs mean over {RoundTrips}");
        output.WriteLine($"netns create: median {Median(create):0.000} ms, p90 {Percentile(create, 0.9):0.000} ms over {Count}");
        output.WriteLine($"netns delete: median {Median(delete):0.000} ms, p90 {Percentile(delete, 0.9):0.000} ms over {Count}");
        Assert.Empty(Manager.List());
    }

    internal static ulong CurrentThreadInode()
    {
        using NetnsHandle handle = NetnsHandle.OpenCurrentThread();
        return handle.Inode;
    }

    internal static ulong HostInode()
    {
        using NetnsHandle handle = NetnsHandle.Open("/proc/self/ns/net");
        return handle.Inode;
    }

    /// <summary>The oracle: coreutils stat of the bind-mounted file (the nsfs inode).</summary>
    internal static ulong StatInode(string path) =>
        ulong.Parse(Cmd.Check("stat", "-L", "-c", "%i", path).Trim(), CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(fraction * sorted.Count))];
    }
}
