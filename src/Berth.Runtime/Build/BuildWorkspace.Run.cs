using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Runtime.Containers;
using Berth.Runtime.Files;

namespace Berth.Runtime.Build;

public sealed partial class BuildWorkspace
{
    /// <summary>How often a running step's log is read for new output (conmon appends; nothing wakes a reader).</summary>
    private static readonly TimeSpan OutputPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>moby's build containers are named by their id; the hostname is its short form (12 characters).</summary>
    private const int HostnameLength = 12;

    /// <summary>rwxr-xr-x: a heredoc script is executable by any USER of the step (BuildKit: <c>llb.Mkfile(f, 0755, …)</c>).</summary>
    private const uint ScriptMode = 0x1ED;

    /// <summary>
    /// <c>RUN</c>: <paramref name="run"/>'s process in a throwaway container on the snapshot (runc under conmon, the
    /// snapshot's upper directory as its writable layer), its output handed to <paramref name="output"/> as it comes
    /// (stdout and stderr apart, the bytes the process wrote). Returns the exit code (128+N after signal N); a non-zero
    /// code is the caller's to report, with the output. Whatever happens — a failed create, an error of the callback,
    /// cancellation — the container is killed and deleted and its rootfs unmounted before this returns.
    /// </summary>
    public async Task<int> RunStepAsync(
        BuildSnapshot snapshot, BuildRunSpec run, Func<LogStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask>? output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Args.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "a RUN step needs a command");
        }

        if (!run.Scripts.IsDefaultOrEmpty && !run.ScriptDirectory.StartsWith('/'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"a RUN step's scripts need an absolute directory to be mounted at, not \"{run.ScriptDirectory}\"");
        }

        await snapshot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string id = snapshot.ContainerId;
            var spec = new ContainerSpec
            {
                Id = id,
                Layers = snapshot.Layers,
                LayerDirectory = snapshot.Paths.LayerDirectory,
                Cmd = run.Args,
                Env = run.Env,
                WorkingDir = run.WorkingDir,
                User = run.User,
                Hostname = run.Hostname.Length > 0 ? run.Hostname : snapshot.Id[..Math.Min(HostnameLength, snapshot.Id.Length)],
                Hosts = run.Hosts,
                ResolvConf = run.ResolvConf,
                HostNetwork = run.Network.IsHost,
                NetworkNamespacePath = run.Network.NamespacePath,
                LogPath = snapshot.LogPath,
                Binds = run.Scripts.IsDefaultOrEmpty ? [] : [new BindMount(WriteScripts(snapshot, run.Scripts), run.ScriptDirectory, ReadOnly: true)],
            };
            File.Delete(snapshot.LogPath);
            var volumes = VolumePaths(run.Volumes);
            if (volumes.Count > 0)
            {
                await Task.Run(() => MakeMountPoints(snapshot, volumes), cancellationToken).ConfigureAwait(false);
            }

            using var follower = new ContainerLogFollower(snapshot.LogPath, fromStart: true);
            int code;
            try
            {
                await runtime.CreateAsync(spec, snapshot.Paths.Directory, cancellationToken).ConfigureAwait(false);
                await runtime.StartAsync(id, cancellationToken).ConfigureAwait(false);
                Task<int> exit = runtime.WaitAsync(id, cancellationToken);
                await follower.FollowAsync(() => exit.IsCompleted, OutputPollInterval, records => DeliverAsync(records, output, cancellationToken), cancellationToken).ConfigureAwait(false);
                code = await exit.ConfigureAwait(false);
            }
            finally
            {
                await RemoveRunContainerAsync(id).ConfigureAwait(false);
            }

            // conmon may write the last output after the exit file; it has exited once the container is deleted.
            await DeliverAsync(follower.ReadNew(), output, cancellationToken).ConfigureAwait(false);
            File.Delete(snapshot.LogPath);
            if (volumes.Count > 0)
            {
                await Task.Run(() => DiscardVolumeChanges(snapshot, volumes), cancellationToken).ConfigureAwait(false);
            }

            BuildLog.StepExited(_logger, snapshot.Id, code);
            return code;
        }
        finally
        {
            snapshot.Gate.Release();
        }
    }

    /// <summary>
    /// The step's scripts in a directory of the snapshot beside (not in) its layer, made afresh for each run; the
    /// directory goes with the snapshot.
    /// </summary>
    private static string WriteScripts(BuildSnapshot snapshot, ImmutableArray<BuildInlineFile> scripts)
    {
        string directory = snapshot.ScriptsDirectory;
        if (Directory.Exists(directory))
        {
            using var parent = DirectoryHandle.Open(snapshot.Directory);
            parent.RemoveTree(Path.GetFileName(directory));
        }

        Directory.CreateDirectory(directory);
        using var handle = DirectoryHandle.Open(directory);
        handle.SetMode(".", ScriptMode);
        foreach (var script in scripts)
        {
            using (var file = handle.CreateFile(script.Name, ScriptMode))
            {
                RandomAccess.Write(file, script.Bytes(), 0);
            }

            handle.SetMode(script.Name, ScriptMode);
        }

        return directory;
    }

    private static List<string> VolumePaths(ImmutableArray<string> volumes) =>
        volumes.IsDefaultOrEmpty ? [] : [.. volumes.Select(v => ContainerPathText.Clean("/" + v)).Where(p => p != "/").Distinct()];

    /// <summary>The volumes' mount points, made where the image has none (0755, root's), as runc makes them for moby's volumes.</summary>
    private static void MakeMountPoints(BuildSnapshot snapshot, List<string> volumes)
    {
        using var view = snapshot.OpenView();
        foreach (string path in volumes.Where(p => view.Root.StatusInRoot(p, followFinal: true) is null))
        {
            view.Root.MakeDirectoriesInRoot(path, (0, 0)).Dispose();
        }
    }

    /// <summary>
    /// What moby's anonymous volumes do to a RUN: the step wrote to volumes, not to the image, so the upper layer's entry
    /// of each volume path is dropped (the image's content shows again) and the mount point made again where the image
    /// has none. Runs once the container is deleted: no overlay is mounted over the upper directory while it changes.
    /// </summary>
    private static void DiscardVolumeChanges(BuildSnapshot snapshot, List<string> volumes)
    {
        using (var upper = DirectoryHandle.Open(snapshot.UpperDirectory))
        {
            foreach (string path in volumes)
            {
                // The upper layer's own names only: a symlink there means nothing on the host.
                using var parent = upper.OpenDirectoryBeneath(ContainerPathText.Parent(path));
                parent?.RemoveTree(ContainerPathText.Base(path));
            }
        }

        MakeMountPoints(snapshot, volumes);
    }

    private static async Task<bool> DeliverAsync(
        IReadOnlyList<LogRecord> records, Func<LogStream, ReadOnlyMemory<byte>, CancellationToken, ValueTask>? output, CancellationToken cancellationToken)
    {
        if (output is not null)
        {
            foreach (var record in records)
            {
                await output(record.Stream, record.Output(), cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Kills and deletes the step's container, whatever state it is in; never cancelled (nothing may be left running).</summary>
    private async Task RemoveRunContainerAsync(string id)
    {
        try
        {
            if (runtime.Exists(id))
            {
                await runtime.DeleteAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (BerthException e)
        {
            BuildLog.RunCleanupFailed(_logger, id, e);
            throw;
        }
    }
}
