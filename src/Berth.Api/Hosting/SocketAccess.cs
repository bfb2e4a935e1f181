using System.Globalization;
using Berth.Linux.Interop;
using Berth.Core.Errors;

namespace Berth.Api.Hosting;

/// <summary>
/// Who may talk to a unix socket. Until <see cref="Restrict"/> runs, the socket has the process umask's
/// mode (0755 under the usual 022): connecting needs write permission, so only root can connect in that window.
/// </summary>
internal static class SocketAccess
{
    private const UnixFileMode OwnerAndGroupReadWrite =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private const string GroupFile = "/etc/group";

    /// <summary>A socket left by a daemon that died: binding would fail with EADDRINUSE.</summary>
    public static void RemoveStale(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Mode 0660 and the group <paramref name="groupName"/> when it exists, else the owner's (root); returns the group used.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static string Restrict(string path, string groupName)
    {
        File.SetUnixFileMode(path, OwnerAndGroupReadWrite);
        if (FindGroupId(groupName) is not { } gid)
        {
            return "root";
        }

        if (Libc.Chown(path, Libc.UnchangedId, gid) != 0)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(ErrorKind.Internal, $"socket {path}: cannot give it to group {groupName}: {errno}");
        }

        return groupName;
    }

    /// <summary>Looks the group up in /etc/group (<c>name:password:gid:members</c>).</summary>
    internal static uint? FindGroupId(string groupName)
    {
        if (!File.Exists(GroupFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(GroupFile))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == groupName
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
            {
                return gid;
            }
        }

        return null;
    }
}
