using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Fixtures;

/// <summary>
/// Base class of privileged integration tests: snapshots the <see cref="LeakGuard"/> before the test,
/// gives it a fresh <see cref="NamespaceManager"/> on /run/berth-test-RANDOM/netns and labs on demand,
/// and after the test tears all of that down and fails if anything of Berth's was left behind.
/// </summary>
public abstract class LabTest : IDisposable
{
    private readonly LeakGuard guard = LeakGuard.Snapshot();
    private readonly List<Lab> labs = [];
    private readonly Lazy<NamespaceManager> manager;
    private bool disposed;

    protected LabTest()
    {
        TestRoot = "/run/berth-test-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
        LeakGuard.TestRootsOfThisProcess[TestRoot] = true;
        manager = new Lazy<NamespaceManager>(() => new NamespaceManager(Path.Combine(TestRoot, "netns"), Runner));
    }

    /// <summary>A directory of this test alone; removed at the end.</summary>
    protected string TestRoot { get; }

    /// <summary>A runner of this test alone, so a test cannot disturb the shared one.</summary>
    protected NamespaceRunner Runner { get; } = new("test");

    /// <summary>A manager on <c>TestRoot/netns</c>; the test should delete what it creates.</summary>
    protected NamespaceManager Manager => manager.Value;

    protected Lab NewLab()
    {
        var lab = new Lab();
        labs.Add(lab);
        return lab;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        GC.SuppressFinalize(this);
        var errors = new List<string>();
        try
        {
            BeforeTeardown();
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            // Keep tearing down: the labs must go whatever a subclass failed to stop.
            errors.Add("stopping the test's processes failed: " + exception.Message);
        }

        foreach (Lab lab in labs)
        {
            try
            {
                lab.Dispose();
            }
            catch (InvalidOperationException exception)
            {
                errors.Add(exception.Message);
            }
        }

        Runner.Dispose();

        // Judge first (what the test itself left behind), then clean up regardless.
        IReadOnlyList<string> leaks = guard.FindLeaks();
        LeakGuard.KillEtcdUnder(TestRoot);
        if (manager.IsValueCreated)
        {
            foreach (string name in Manager.List())
            {
                errors.Add($"namespace \"{name}\" left in {Manager.Directory}");
                try
                {
                    Manager.Delete(name);
                }
                catch (Berth.Core.Errors.BerthException exception)
                {
                    errors.Add(exception.Message);
                }
            }
        }

        errors.AddRange(RemoveTestRoot());
        errors.AddRange(leaks);
        Assert.True(errors.Count == 0, "test teardown found problems:\n  " + string.Join("\n  ", errors));
    }

    /// <summary>Stops what a subclass started (processes using the labs) before the labs are torn down.</summary>
    protected virtual void BeforeTeardown()
    {
    }

    private IEnumerable<string> RemoveTestRoot()
    {
        if (!Directory.Exists(TestRoot))
        {
            yield break;
        }

        // Namespace directories are bind mounts of themselves (the manager's, a test daemon's): undo every
        // mount under the test's directory, deepest first, before removing the tree.
        var mounts = File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point.StartsWith(TestRoot + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(point => point.Length);
        foreach (string point in mounts)
        {
            CmdResult result = Cmd.Run("umount", "-l", point);
            if (!result.Succeeded)
            {
                yield return result.ToString();
                yield break;
            }
        }

        Directory.Delete(TestRoot, recursive: true);
    }
}
