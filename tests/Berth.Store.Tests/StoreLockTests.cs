using Berth.Core.Errors;

namespace Berth.Store.Tests;

public sealed class StoreLockTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Second_acquire_fails_with_conflict_naming_the_holder_until_the_first_is_released()
    {
        var root = Path.Combine(_directory.Path, "root");
        var first = StoreLock.Acquire(root);
        Assert.Equal(Environment.ProcessId, StoreLock.ReadHolder(root));

        // flock belongs to the open file description, so a second open in this process conflicts too.
        var error = Assert.Throws<BerthException>(() => StoreLock.Acquire(root));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(
            $"another berthd is already running with --root {root} (pid {Environment.ProcessId}); stop it first or choose another --root",
            error.Message);

        first.Dispose();
        Assert.Null(StoreLock.ReadHolder(root));
        using var second = StoreLock.Acquire(root);
        Assert.Equal(Environment.ProcessId, StoreLock.ReadHolder(root));
    }

    [Fact]
    public void A_lock_file_left_by_a_dead_process_does_not_block()
    {
        File.WriteAllText(Path.Combine(_directory.Path, StoreLock.LockFileName), "999999\n");

        using var acquired = StoreLock.Acquire(_directory.Path);

        Assert.Equal(Environment.ProcessId, StoreLock.ReadHolder(_directory.Path));
    }

    [Fact]
    public void Locks_on_different_roots_are_independent()
    {
        using var first = StoreLock.Acquire(Path.Combine(_directory.Path, "one"));
        using var second = StoreLock.Acquire(Path.Combine(_directory.Path, "two"));

        Assert.NotEqual(first.Path, second.Path);
    }
}
