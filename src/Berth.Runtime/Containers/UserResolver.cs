using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Filesystems;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// Turns Docker's <c>--user</c> into numeric ids the way Docker does: numbers are taken as they are,
/// names are looked up in the rootfs' /etc/passwd and /etc/group; a uid alone gets its passwd group
/// (or 0 when the uid has no entry). Supplementary groups are the primary group, then — when no group was given —
/// the groups of /etc/group that list the user's name, then <c>--group-add</c>'s, by number or by name (libcontainer's
/// <c>GetExecUser</c>; moby puts the primary gid first in <c>AdditionalGids</c> since 20.10.18, CVE-2022-36109).
/// </summary>
public static class UserResolver
{
    public static OciUser Resolve(string user, string rootfs) => Resolve(user, rootfs, []);

    public static OciUser Resolve(string user, string rootfs, IReadOnlyCollection<string> groupAdd)
    {
        ArgumentNullException.ThrowIfNull(groupAdd);
        OciUser resolved = ResolveIds(user, rootfs);
        string[][] groups = ReadDatabase(Path.Combine(rootfs, "etc/group"));
        // GetExecUser looks memberships up only for the implicit form: "user:group" takes exactly that group.
        string name = user.Contains(':', StringComparison.Ordinal) ? "" : NameOf(user, rootfs);
        var extra = new List<uint> { resolved.Gid };
        foreach (string[] group in groups)
        {
            if (name.Length > 0 && group.Length > 3 && group[3].Split(',').Contains(name) && TryNumber(group[2], out uint member))
            {
                extra.Add(member);
            }
        }

        foreach (string added in groupAdd)
        {
            if (TryNumber(added, out uint number))
            {
                extra.Add(number);
                continue;
            }

            string[] group = groups.FirstOrDefault(e => e.Length > 2 && e[0] == added)
                ?? throw new BerthException(ErrorKind.InvalidArgument, $"Unable to find group {added}: no matching entries in group file; give --group-add a group of the image's /etc/group or a number");
            extra.Add(TryNumber(group[2], out uint gid) ? gid : throw new BerthException(ErrorKind.InvalidArgument, $"group {added} has a malformed /etc/group entry in the image"));
        }

        return resolved with { AdditionalGids = [.. extra.Distinct()] };
    }

    /// <summary>
    /// A build's <c>COPY --chown</c> / <c>ADD --chown</c> (moby <c>parseChownFlag</c>): <c>user[:group]</c>, each a number or
    /// a name of the root filesystem's /etc/passwd or /etc/group (read inside <paramref name="root"/>: a symlinked
    /// /etc/passwd is followed within it, never to the host's); a user alone is looked up as the group too.
    /// </summary>
    public static (uint Uid, uint Gid) ResolveOwner(string chown, DirectoryHandle root)
    {
        ArgumentException.ThrowIfNullOrEmpty(chown);
        ArgumentNullException.ThrowIfNull(root);
        string[] parts = chown.Split(':');
        if (parts.Length > 2)
        {
            throw ChownFailed($"invalid chown string format: {chown}");
        }

        string userName = parts[0];
        string groupName = parts.Length == 2 ? parts[1] : parts[0];
        uint uid = TryNumber(userName, out uint u) ? u : LookUp(root, "/etc/passwd", userName, "uid", "user");
        uint gid = TryNumber(groupName, out uint g) ? g : LookUp(root, "/etc/group", groupName, "gid", "group");
        return (uid, gid);
    }

    /// <summary>The id (third field) of the entry named <paramref name="name"/> in a passwd-format file of the root.</summary>
    private static uint LookUp(DirectoryHandle root, string file, string name, string id, string what)
    {
        string[]? entry;
        using (var handle = root.OpenRegularFileInRoot(file))
        {
            if (handle is null)
            {
                throw ChownFailed($"can't find {id} for {what} {name}: open {file}: no such file or directory");
            }

            using var reader = new StreamReader(new FileStream(handle, FileAccess.Read, bufferSize: 0));
            entry = Parse(reader.ReadToEnd().Split('\n')).FirstOrDefault(e => e.Length > 2 && e[0] == name);
        }

        if (entry is null)
        {
            throw ChownFailed($"can't find {id} for {what} {name}: no such {what}: {name}");
        }

        return TryNumber(entry[2], out uint value) ? value : throw ChownFailed($"can't find {id} for {what} {name}: the image's {file} entry is malformed");
    }

    // moby's words (builder/dockerfile parseChownFlag), but the image's path instead of the daemon's storage path.
    private static BerthException ChownFailed(string reason) =>
        new(ErrorKind.InvalidArgument, "unable to convert uid/gid chown string to host mapping: " + reason);

    /// <summary>The user's name for group membership: the name given, or the passwd name of a uid given.</summary>
    private static string NameOf(string user, string rootfs)
    {
        string first = string.IsNullOrEmpty(user) ? "0" : user.Split(':', 2)[0];
        return TryNumber(first, out _)
            ? ReadDatabase(Path.Combine(rootfs, "etc/passwd")).FirstOrDefault(e => e.Length > 3 && e[2] == first)?[0] ?? ""
            : first;
    }

    private static OciUser ResolveIds(string user, string rootfs)
    {
        if (string.IsNullOrEmpty(user))
        {
            return new OciUser(0, 0);
        }

        string[] parts = user.Split(':', 2);
        string[][] passwd = ReadDatabase(Path.Combine(rootfs, "etc/passwd"));
        uint uid;
        uint gid = 0;
        if (TryNumber(parts[0], out uid))
        {
            string[]? entry = passwd.FirstOrDefault(e => e.Length > 3 && e[2] == parts[0]);
            if (entry is not null && TryNumber(entry[3], out uint primary))
            {
                gid = primary;
            }
        }
        else
        {
            string[] entry = passwd.FirstOrDefault(e => e.Length > 3 && e[0] == parts[0])
                ?? throw new BerthException(ErrorKind.InvalidArgument, $"unable to find user {parts[0]}: no matching entries in the image's /etc/passwd");
            if (!TryNumber(entry[2], out uid) || !TryNumber(entry[3], out gid))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"user {parts[0]} has a malformed /etc/passwd entry in the image");
            }
        }

        if (parts.Length == 2)
        {
            if (!TryNumber(parts[1], out gid))
            {
                string[] group = ReadDatabase(Path.Combine(rootfs, "etc/group")).FirstOrDefault(e => e.Length > 2 && e[0] == parts[1])
                    ?? throw new BerthException(ErrorKind.InvalidArgument, $"unable to find group {parts[1]}: no matching entries in the image's /etc/group");
                if (!TryNumber(group[2], out gid))
                {
                    throw new BerthException(ErrorKind.InvalidArgument, $"group {parts[1]} has a malformed /etc/group entry in the image");
                }
            }
        }

        return new OciUser(uid, gid);
    }

    private static bool TryNumber(string text, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string[][] ReadDatabase(string path) =>
        File.Exists(path) ? Parse(File.ReadAllLines(path)) : [];

    private static string[][] Parse(IEnumerable<string> lines) =>
        lines.Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':')).ToArray();
}
