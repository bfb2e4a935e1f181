using System.Diagnostics;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// The one place that runs <c>runc</c> (start, kill, state, delete; create goes through conmon). Every
/// run has a timeout; failures carry runc's stderr. Existence is judged from runc's state directory
/// (<c>ROOT/ID/state.json</c>), never from error text.
/// </summary>
public sealed class RuncClient(string runcPath, string root, TimeSpan timeout)
{
    public string RuncPath { get; } = runcPath;

    /// <summary>runc's <c>--root</c>: its state directory, one subdirectory per container.</summary>
    public string Root { get; } = root;

    public bool Exists(string id) => File.Exists(Path.Combine(Root, id, "state.json"));

    /// <summary>Runs the process of a created container: <see cref="RuncExecFifo.ReleaseAsync"/>, or <c>runc start</c> where runc keeps no exec fifo.</summary>
    public async Task StartAsync(string id, Func<bool> initAlive, CancellationToken cancellationToken = default)
    {
        string fifo = Path.Combine(Root, id, RuncExecFifo.FileName);
        if (!File.Exists(fifo))
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

    /// <summary>runc's view of the container, or null when runc has no state for it.</summary>
    public async Task<OciState?> StateAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!Exists(id))
        {
            return null;
        }

        string output = await RunAsync(id, ["state", id], cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(output, OciJsonContext.Default.OciState)
            ?? throw new BerthException(ErrorKind.Internal, $"container {id}: runc state printed nothing");
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

    private async Task<string> RunAsync(string id, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(RuncPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--root");
        start.ArgumentList.Add(Root);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        string commandLine = string.Join(' ', ["runc", "--root", Root, .. args]);
        using var process = Process.Start(start)
            ?? throw new BerthException(ErrorKind.Unavailable, $"container {id}: cannot start {RuncPath}");
        // Process.Dispose leaves the streams a caller took to the caller: closed here, or each run leaves two pipes
        // open in berthd until a finalizer runs.
        using StreamReader stdout = process.StandardOutput, stderr = process.StandardError;
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
