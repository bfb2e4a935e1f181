using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Linux.Filesystems;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Secrets;

/// <summary>
/// A task's secret and config files on this node: a tmpfs of its own, <c>EXEC-ROOT/task-files/&lt;task&gt;</c> (never
/// a disk), one file per reference with the asked owner and mode, each bind-mounted read-only into the container at
/// its target. Unmounted when the task's container goes; after a crash, the agent's first look unmounts those of
/// tasks with no container here (<see cref="Present"/>).
/// </summary>
public sealed class TaskFileMounts(string root)
{
    /// <summary>Docker's directory for secrets (moby <c>containerSecretMountPath</c>); a config's relative target is under <c>/</c>.</summary>
    public const string SecretsDirectory = "/run/secrets";

    /// <summary>Room for the files' pages and the directory's own; tmpfs counts whole pages.</summary>
    private const long PageBytes = 4096;

    public string Root { get; } = root;

    /// <summary>Where a reference's file appears in the container.</summary>
    public static string TargetOf(SecretKind kind, TaskFileTarget file) =>
        file.Name.StartsWith('/') ? file.Name : Path.Combine(kind == SecretKind.Secret ? SecretsDirectory : "/", file.Name);

    /// <summary>Writes the task's files into a fresh tmpfs and returns the container's bind mounts, in the spec's order.</summary>
    public IReadOnlyList<MountSpec> Prepare(TaskRecord task, IReadOnlyList<TaskFileData> files)
    {
        string directory = DirectoryOf(task.Id);
        Tmpfs.Unmount(directory);
        long size = PageBytes + files.Sum(f => (f.Data.Length + PageBytes - 1) / PageBytes * PageBytes + PageBytes);
        Tmpfs.Mount(directory, size);
        bool prepared = false;
        try
        {
            var mounts = new List<MountSpec>();
            int index = 0;
            foreach (var (kind, references) in new[] { (SecretKind.Secret, task.Spec.Container.Secrets), (SecretKind.Config, task.Spec.Container.Configs) })
            {
                foreach (TaskFileReference reference in references)
                {
                    TaskFileData data = files.FirstOrDefault(f => f.Kind == kind && f.Id == reference.Id)
                        ?? throw new Core.Errors.BerthException(Core.Errors.ErrorKind.NotFound, $"{kind.Name()} {reference.Name} ({reference.Id}) was not handed over for task {task.Id.Value}");
                    string path = Path.Combine(directory, $"{kind.Name()}-{index++}");
                    Tmpfs.WriteFile(path, data.Data, uint.Parse(reference.File.Uid), uint.Parse(reference.File.Gid), (UnixFileMode)(reference.File.Mode & 0xFFF));
                    mounts.Add(new MountSpec { Type = MountSpec.BindType, Source = path, Target = TargetOf(kind, reference.File), ReadOnly = true });
                }
            }

            prepared = true;
            return mounts;
        }
        finally
        {
            if (!prepared)
            {
                Tmpfs.Unmount(directory);
            }
        }
    }

    public void Release(TaskId task) => Tmpfs.Unmount(DirectoryOf(task));

    /// <summary>The tasks that have a tmpfs here now.</summary>
    public IReadOnlyList<TaskId> Present() =>
        !Directory.Exists(Root) ? [] : [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).Select(name => TaskId.TryParse(name, out var id) ? id : (TaskId?)null).OfType<TaskId>()];

    private string DirectoryOf(TaskId task) => Path.Combine(Root, task.Value);
}
