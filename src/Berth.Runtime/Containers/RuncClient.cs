using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// The one place that runs the OCI runtime — runc, or the <see cref="OciRuntime"/> a container was created with
/// (start, kill, state, delete; create goes through conmon, exec through <see cref="ExecProcess"/>). Every run
/// has a timeout; failures carry the runtime's stderr. Existence is judged from the runtime's state directory
/// (<c>ROOT/ID/state.json</c> for runc, <c>ROOT/ID/status</c> for crun), never from error text.
/// </summary>
/// <remarks>
/// Which runtime a container has is recorded when it is created, one file per container under
/// <c>recordDirectory</c> (<see cref="Bind"/>), so that after a restart of berthd, even with other flags, it is
/// still killed, exec'd and deleted by the binary that created it. A container without a record predates
/// runtime choice: it is runc's.
/// </remarks>
public sealed class RuncClient(OciRuntimes runtimes, string runcRoot, string recordDirectory, TimeSpan timeout)
{
    /// <summary>State files the runtimes write in <c>ROOT/ID</c> once a container exists: runc's (also youki's), crun's.</summary>
    private static readonly string[] StateFiles = [RuncStateFile, "status"];

    private const string RuncStateFile = "state.json";

    private ImmutableDictionary<string, OciRuntime> bound = ImmutableDictionary<string, OciRuntime>.Empty;

    /// <summary>The runtimes containers may be created with.</summary>
    public OciRuntimes Runtimes { get; } = runtimes;

    /// <summary>runc's <c>--root</c>: its state directory, one subdirectory per container.</summary>
    public string Root { get; } = runcRoot;

    /// <summary>The runtime named <paramref name="name"/> (null: the default), with its state directory.</summary>
    public OciRuntime Resolve(string? name) => Runtimes.Resolve(name, Root);

    /// <summary>The runtime container <paramref name="id"/> was created with: its record, else (made before records) runc.</summary>
    public OciRuntime RuntimeOf(string id)
    {
        if (bound.TryGetValue(id, out OciRuntime? runtime))
        {
            return runtime;
        }

        string record = RecordOf(id);
        return (File.Exists(record) ? File.ReadAllLines(record) : []) is [var name, var path, var root]
            ? ImmutableInterlocked.GetOrAdd(ref bound, id, new OciRuntime(name, path, root))
            : new OciRuntime(OciRuntimes.Runc, Runtimes.Paths[OciRuntimes.Runc], Root);
    }

    /// <summary>Records that container <paramref name="id"/> runs with <paramref name="runtime"/> (before it is created).</summary>
    public void Bind(string id, OciRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        Directory.CreateDirectory(recordDirectory);
        string record = RecordOf(id);
        string temporary = record + ".tmp";
        File.WriteAllLines(temporary, [runtime.Name, runtime.Path, runtime.Root]);
        File.Move(temporary, record, overwrite: true);
        ImmutableInterlocked.AddOrUpdate(ref bound, id, runtime, (_, _) => runtime);
    }

    /// <summary>Drops the record of a removed container.</summary>
    public void Forget(string id)
    {
        File.Delete(RecordOf(id));
        ImmutableInterlocked.TryRemove(ref bound, id, out _);
    }

    public bool Exists(string id) => Exists(RuntimeOf(id), id);

    /// <summary>Whether <paramref name="runtime"/> holds state for container <paramref name="id"/>.</summary>
    public static bool Exists(OciRuntime runtime, string id)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return StateFiles.Any(f => File.Exists(Path.Combine(runtime.Root, id, f)));
    }

    private string RecordOf(string id) => Path.Combine(recordDirectory, id);

    /// <summary>Runs the process of a created container: <see cref="RuncExecFifo.ReleaseAsync"/>, or <c>runc start</c> where runc keeps no exec fifo.</summary>
    public async Task StartAsync(string id, Func<bool> initAlive, CancellationToken cancellationToken = default)
    {
        string state = Path.Combine(RuntimeOf(id).Root, id);
        string fifo = Path.Combine(state, RuncExecFifo.FileName);

        // The fifo is read by the starter only in runc's protocol (runc's layout: state.json); crun's init reads its
        // exec.fifo and `crun start` writes it, so for crun (and any other layout) the runtime's own start runs.
        if (!File.Exists(fifo) || !File.Exists(Path.Combine(state, RuncStateFile)))
        {
            await RunAsync(id, ["start", id], cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await RuncExecFifo.ReleaseAsync(fifo, initAlive, timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new BerthException(ErrorKind.Internal, $"container {id}: its init exited before it was started; see its runc log");
        }
    }

    /// <summary>Sends <paramref name="signal"/> (a name like <c>SIGTERM</c> or a number) to the container's init.</summary>
    public Task KillAsync(string id, string signal, CancellationToken cancellationToken = default) =>
        RunAsync(id, ["kill", id, signal], cancellationToken);

    /// <summary>Freezes every process of the container (<c>runc pause</c>: the cgroup freezer).</summary>
    public Task PauseAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(id, ["pause", id], cancellationToken);

    /// <summary>Thaws a paused container (<c>runc resume</c>).</summary>
    public Task ResumeAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(id, ["resume", id], cancellationToken);

    /// <summary>Writes new cgroup limits into a running container's cgroup (<c>runc update --resources -</c>, runtime-spec <c>LinuxResources</c> on stdin).</summary>
    public Task UpdateAsync(string id, OciResources resources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        string json = JsonSerializer.Serialize(resources, OciJsonContext.Default.OciResources);
        return RunAsync(id, ["update", "--resources", "-", id], cancellationToken, json);
    }

    /// <summary>runc's view of the container, or null when runc has no state for it.</summary>
    public async Task<OciState?> StateAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!Exists(id))
        {
            return null;
        }

        string output = await RunAsync(id, ["state", id], cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(output, OciJsonContext.Default.OciState)
            ?? throw new BerthException(ErrorKind.Internal, $"container {id}: {RuntimeOf(id).Name} state printed nothing");
    }

    /// <summary>Removes runc's state; with <paramref name="force"/> a running container is killed first. No-op when absent.</summary>
    public async Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        if (!Exists(id))
        {
            return;
        }

        await RunAsync(id, force ? ["delete", "--force", id] : ["delete", id], cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> RunAsync(string id, string[] args, CancellationToken cancellationToken, string? input = null)
    {
        OciRuntime runtime = RuntimeOf(id);
        var start = new ProcessStartInfo(runtime.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--root");
        start.ArgumentList.Add(runtime.Root);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        string commandLine = string.Join(' ', [runtime.Name, "--root", runtime.Root, .. args]);
        using var process = Process.Start(start)
            ?? throw new BerthException(ErrorKind.Unavailable, $"container {id}: cannot start {runtime.Path}");
        // Process.Dispose leaves the streams a caller took to the caller: closed here, or each run leaves two pipes
        // open in berthd until a finalizer runs.
        using StreamReader stdout = process.StandardOutput, stderr = process.StandardError;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        Task<string> output = stdout.ReadToEndAsync(cancellationToken);
        Task<string> error = stderr.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new BerthException(ErrorKind.Unavailable, $"container {id}: `{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed");
        }

        string message = (await error.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            ErrorKind kind = Exists(id) ? ErrorKind.Internal : ErrorKind.NotFound;
            throw new BerthException(kind, $"container {id}: `{commandLine}` failed with exit code {process.ExitCode}: {message}");
        }

        return await output.ConfigureAwait(false);
    }
}
