using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Linux.Processes;
using Berth.Runtime.Users;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// berthd's <c>--userns-remap</c> at start, as dockerd does it: <c>default</c> makes the user and group
/// <see cref="UsernsRemap.DefaultUser"/> (useradd) and gives it a free range of 65536 subordinate ids (usermod, from
/// 100000 up) when it has none; then the mapping is read from /etc/passwd, /etc/group, /etc/subuid and /etc/subgid,
/// and the state goes to <c>--root/UID.GID</c>, a directory the remapped root can reach (moby <c>setupDaemonRoot</c>).
/// </summary>
internal static class UsernsRemapSetup
{
    private const string Passwd = "/etc/passwd";
    private const string Group = "/etc/group";

    /// <summary>How long useradd or usermod may take (they lock /etc/passwd; another tool may hold it a moment).</summary>
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// moby's permissions: the base root and the remapped root are the remapped root's group's, rwx for berthd and x for the
    /// group, so the container's root can reach its rootfs and nobody else can list anything.
    /// </summary>
    private const UnixFileMode RootDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>The mapping, after making the default user when asked for; the remapped root directory made and checked.</summary>
    public static IdentityMapping Prepare(UsernsRemap remap, string root, ILogger logger)
    {
        if (remap.IsDefault)
        {
            EnsureDefaultUser(logger);
        }

        var mapping = remap.Resolve(ReadOrEmpty(Passwd), ReadOrEmpty(Group), ReadOrEmpty(SubordinateIds.SubuidFile), ReadOrEmpty(SubordinateIds.SubgidFile));
        string remapped = Path.Combine(root, mapping.DirectoryName);
        MakeDirectory(root, mapping);
        MakeDirectory(remapped, mapping);
        CheckAncestors(remapped, mapping);
        DaemonLog.Remapping(logger, mapping.RootUid, mapping.RootGid, mapping.User, remapped);
        return mapping;
    }

    private static void EnsureDefaultUser(ILogger logger)
    {
        const string user = UsernsRemap.DefaultUser;
        if (!ReadOrEmpty(Passwd).Split('\n').Any(line => line.StartsWith(user + ":", StringComparison.Ordinal)))
        {
            // A system user with a group of its own name, no home, no login: nothing ever runs as it, its ids name a range.
            Run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/bin/false", user);
            DaemonLog.RemapUserMade(logger, user);
        }

        string subuid = ReadOrEmpty(SubordinateIds.SubuidFile);
        string subgid = ReadOrEmpty(SubordinateIds.SubgidFile);
        bool needsUids = SubordinateIds.RangesOf(subuid, user, null).IsEmpty;
        bool needsGids = SubordinateIds.RangesOf(subgid, user, null).IsEmpty;
        if (!needsUids && !needsGids)
        {
            return;
        }

        // One range free in both files, so container uid n and gid n are the same host number (as Docker's default gives).
        uint start = Math.Max(
            SubordinateIds.FreeStart(subuid, UsernsRemap.DefaultRangeFloor, UsernsRemap.DefaultRangeSize),
            SubordinateIds.FreeStart(subgid, UsernsRemap.DefaultRangeFloor, UsernsRemap.DefaultRangeSize));
        start = Math.Max(SubordinateIds.FreeStart(subuid, start, UsernsRemap.DefaultRangeSize), SubordinateIds.FreeStart(subgid, start, UsernsRemap.DefaultRangeSize));
        uint end = start + UsernsRemap.DefaultRangeSize - 1;
        foreach (string file in (string[])[SubordinateIds.SubuidFile, SubordinateIds.SubgidFile])
        {
            // usermod -v/-w refuses to work without the files.
            if (!File.Exists(file))
            {
                File.WriteAllText(file, "");
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }

        string range = $"{start}-{end}";
        Run("usermod", [.. needsUids ? (string[])["--add-subuids", range] : [], .. needsGids ? (string[])["--add-subgids", range] : [], user]);
        DaemonLog.RemapRangeAdded(logger, user, start, end);
    }

    private static void MakeDirectory(string path, IdentityMapping mapping)
    {
        Directory.CreateDirectory(path);
        // Owner berthd (root), group the remapped root's: chown(2) with uid -1 keeps the owner.
        if (Berth.Linux.Interop.Libc.Chown(path, Berth.Linux.Interop.Libc.UnchangedId, mapping.RootGid) != 0)
        {
            var errno = Berth.Linux.Interop.Libc.LastErrno();
            throw new BerthException(ErrorKind.Internal, $"--userns-remap: cannot give {path} to group {mapping.RootGid}: {Berth.Linux.Interop.Libc.Describe(errno)} ({errno})");
        }

        File.SetUnixFileMode(path, RootDirectoryMode);
    }

    /// <summary>Every directory above the remapped root must let its root through, or every container start fails later (moby's check, its words).</summary>
    private static void CheckAncestors(string remapped, IdentityMapping mapping)
    {
        for (string? directory = Path.GetDirectoryName(remapped); directory is not null and not "/"; directory = Path.GetDirectoryName(directory))
        {
            var status = Berth.Linux.Filesystems.NodeStatus.Of(directory);
            if (status is null)
            {
                continue;
            }

            var mode = (UnixFileMode)status.Value.Permissions;
            bool passes = mode.HasFlag(UnixFileMode.OtherExecute)
                || (status.Value.Uid == mapping.RootUid && mode.HasFlag(UnixFileMode.UserExecute))
                || (status.Value.Gid == mapping.RootGid && mode.HasFlag(UnixFileMode.GroupExecute));
            if (!passes)
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"a subdirectory in your graphroot path ({remapped}) restricts access to the remapped root uid/gid; please fix by allowing 'o+x' permissions on existing directories ({directory})");
            }
        }
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static void Run(string tool, params string[] args)
    {
        try
        {
            HelperProcess.Run(tool, args, "install Debian's passwd package, or make the user yourself and give --userns-remap USER", ToolTimeout);
        }
        catch (BerthException e)
        {
            throw new BerthException(e.Kind, "--userns-remap default: " + e.Message);
        }
    }
}
