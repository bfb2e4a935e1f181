using System.Diagnostics;
using System.Globalization;
using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Namespaces;

/// <summary>
/// A user namespace of an <see cref="IdentityMapping"/> and a network namespace it owns, both bind-mounted onto files,
/// for a container of berthd's <c>--userns-remap</c>. A network namespace belongs to the user namespace it was made in,
/// and only that one's root may administer it: made by berthd, the container's root could not even join it
/// (<c>runc exec</c> joins the user namespace first, then fails to enter the network one), could not mount sysfs, nor
/// open a raw socket for ping. A process cannot make a user namespace while it has threads, so a short-lived helper
/// (util-linux <c>unshare --user --net</c>) makes both; berthd writes its id maps, keeps the two namespaces by bind
/// mounts and ends it. berthd, root of the initial namespace, still configures the network namespace as any other.
/// </summary>
internal static class OwnedNetworkNamespace
{
    private const string UnshareTool = "unshare";

    private const string EnterTool = "nsenter";

    /// <summary>How long the helper may take to have its namespaces (a fork and an exec).</summary>
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Makes the pair: the user namespace on <paramref name="userPath"/>, the network namespace on <paramref name="netPath"/>
    /// (both files must not exist). On failure nothing is left: no mount, no file, no helper.
    /// </summary>
    public static void Make(IdentityMapping mapping, string userPath, string netPath)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        Process helper = Processes.HelperProcess.Start(UnshareTool, ["--user", "--net", "--", "sleep", "infinity"], "--userns-remap needs util-linux's unshare on berthd's PATH");
        Keep(helper, "user", "unshare --user --net", proc =>
        {
            WriteMap(proc + "/uid_map", mapping.Uids);
            WriteMap(proc + "/gid_map", mapping.Gids);
        }, userPath, netPath);
    }

    /// <summary>
    /// Makes a network namespace owned by the existing user namespace at <paramref name="userNamespace"/> (another
    /// container's: one whose PID or IPC namespace a container joins, which only that user namespace's root may enter),
    /// and keeps both: that user namespace on <paramref name="userPath"/> (so it lives as long as this pair, whatever the
    /// other container does), the network namespace on <paramref name="netPath"/>. The helper enters the user namespace
    /// (util-linux <c>nsenter --user</c>) and unshares a network namespace there. On failure nothing is left.
    /// </summary>
    public static void MakeIn(string userNamespace, string userPath, string netPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(userNamespace);
        Process helper = Processes.HelperProcess.Start(EnterTool, ["--user=" + userNamespace, "--", UnshareTool, "--net", "--", "sleep", "infinity"],
            "--userns-remap with --pid or --ipc container:NAME needs util-linux's nsenter and unshare on berthd's PATH");
        Keep(helper, "net", "nsenter --user … unshare --net", _ => { }, userPath, netPath);
    }

    /// <summary>Once the helper has its namespaces: <paramref name="prepare"/> (given its /proc directory), then both bound; the helper ended either way, nothing left on failure.</summary>
    private static void Keep(Process helper, string lastKind, string what, Action<string> prepare, string userPath, string netPath)
    {
        var made = new List<string>();
        using (helper)
        {
            try
            {
                WaitForNamespaces(helper, lastKind, what);
                string proc = "/proc/" + helper.Id.ToString(CultureInfo.InvariantCulture);
                prepare(proc);
                Bind(proc + "/ns/user", userPath, made);
                Bind(proc + "/ns/net", netPath, made);
            }
            catch
            {
                foreach (string path in made)
                {
                    Remove(path);
                }

                throw;
            }
            finally
            {
                helper.Kill();
                helper.WaitForExit();
            }
        }
    }

    /// <summary>Unmounts and removes a namespace file; a missing one is fine.</summary>
    public static void Remove(string path)
    {
        if (Libc.Umount2(path, Libc.MNT_DETACH) != 0 && Libc.LastErrno() is not (Errno.EINVAL or Errno.ENOENT))
        {
            throw KernelException.FromLastError($"unmounting user namespace file {path}");
        }

        if (Libc.Unlink(path) != 0 && Libc.LastErrno() != Errno.ENOENT)
        {
            throw KernelException.FromLastError($"removing user namespace file {path}");
        }
    }

    /// <summary>The helper has unshared once its <paramref name="kind"/> namespace (the last it makes) is no longer berthd's.</summary>
    private static void WaitForNamespaces(Process helper, string kind, string what)
    {
        string own = NamespaceOf("/proc/self/ns/" + kind);
        string theirs = "/proc/" + helper.Id.ToString(CultureInfo.InvariantCulture) + "/ns/" + kind;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (helper.HasExited)
            {
                throw new BerthException(ErrorKind.Unavailable, $"{what} exited ({helper.ExitCode}) before making a container's namespaces: {helper.StandardError.ReadToEnd().Trim()}");
            }

            string current = NamespaceOf(theirs);
            if (current.Length > 0 && current != own)
            {
                return;
            }

            if (clock.Elapsed > HelperTimeout)
            {
                throw new BerthException(ErrorKind.Unavailable, $"{what} did not make a container's namespaces within {HelperTimeout.TotalSeconds:0} s");
            }

            Thread.Sleep(PollInterval);
        }
    }

    /// <summary>The namespace a /proc ns link names (<c>user:[4026531837]</c>), or empty while the process is not there yet.</summary>
    private static string NamespaceOf(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>user_namespaces(7): the whole map in one write, one <c>INSIDE OUTSIDE COUNT</c> line per range.</summary>
    private static void WriteMap(string file, IEnumerable<IdRange> ranges)
    {
        var text = new StringBuilder();
        foreach (IdRange range in ranges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{range.ContainerId} {range.HostId} {range.Size}\n");
        }

        byte[] bytes = Encoding.ASCII.GetBytes(text.ToString());
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(bytes);
    }

    private static void Bind(string source, string target, List<string> made)
    {
        // O_EXCL: the name is this container's alone; mode 0 as iproute2 makes netns files.
        int placeholder = Libc.Open(target, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        if (placeholder < 0)
        {
            throw KernelException.FromLastError($"creating namespace file {target}");
        }

        Libc.Close(placeholder);
        made.Add(target);
        if (Libc.Mount(source, target, "none", Libc.MS_BIND, 0) != 0)
        {
            throw KernelException.FromLastError($"bind-mounting {source} onto {target}");
        }
    }
}
