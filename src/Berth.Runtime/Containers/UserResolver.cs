using System.Globalization;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// Turns Docker's <c>--user</c> into numeric ids the way Docker does: numbers are taken as they are,
/// names are looked up in the rootfs' /etc/passwd and /etc/group; a uid alone gets its passwd group
/// (or 0 when the uid has no entry). Supplementary groups are the groups of /etc/group that list the user's name,
/// then <c>--group-add</c>'s, by number or by name (libcontainer's <c>GetExecUser</c> and moby's <c>AdditionalGids</c>).
/// </summary>
public static class UserResolver
{
    public static OciUser Resolve(string user, string rootfs) => Resolve(user, rootfs, []);

    public static OciUser Resolve(string user, string rootfs, IReadOnlyCollection<string> groupAdd)
    {
        ArgumentNullException.ThrowIfNull(groupAdd);
        OciUser resolved = ResolveIds(user, rootfs);
        string[][] groups = ReadDatabase(Path.Combine(rootfs, "etc/group"));
        string name = NameOf(user, rootfs);
        var extra = new List<uint>();
        foreach (string[] group in groups)
        {
            if (name.Length > 0 && group.Length > 3 && group[3].Split(',').Contains(name) && TryNumber(group[2], out uint member) && member != resolved.Gid)
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

        return extra.Count == 0 ? resolved : resolved with { AdditionalGids = [.. extra.Distinct()] };
    }

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
        File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':')).ToArray()
            : [];
}
