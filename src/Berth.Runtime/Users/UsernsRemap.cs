using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Users;

/// <summary>
/// dockerd's <c>--userns-remap</c> value: <c>default</c> (Berth's own user <see cref="DefaultUser"/>), <c>USER</c>,
/// <c>USER:GROUP</c>, <c>UID</c> or <c>UID:GID</c>, resolved the way moby's <c>parseRemappedRoot</c> and
/// <c>LoadIdentityMapping</c> do: numbers are looked up in /etc/passwd and /etc/group, then the names' ranges in
/// /etc/subuid and /etc/subgid. A user alone takes the group of the same name.
/// </summary>
public sealed record UsernsRemap(string User, string Group)
{
    /// <summary>The value that asks for the default user.</summary>
    public const string Default = "default";

    /// <summary>
    /// The user (and group) <c>default</c> makes: Docker's is <c>dockremap</c>; Berth's has its own name so that a host
    /// running both never gives Berth's and Docker's containers the same host ids.
    /// </summary>
    public const string DefaultUser = "berthremap";

    /// <summary>The size of the range added for the default user when it has none (Docker's: 65536, uid 0 to 65535 in the container).</summary>
    public const uint DefaultRangeSize = 65536;

    /// <summary>Where the search for a free range starts (Docker's: 100000, above the ids distributions hand out).</summary>
    public const uint DefaultRangeFloor = 100000;

    public bool IsDefault => User == DefaultUser;

    /// <summary>Splits the flag's value; an empty part is an error.</summary>
    public static UsernsRemap Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value == Default)
        {
            return new UsernsRemap(DefaultUser, DefaultUser);
        }

        string[] parts = value.Split(':');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"--userns-remap {value}: give default, USER, USER:GROUP, UID or UID:GID");
        }

        return new UsernsRemap(parts[0], parts.Length == 2 ? parts[1] : parts[0]);
    }

    /// <summary>
    /// The mapping from the host's databases' text: <paramref name="passwd"/>, <paramref name="group"/>,
    /// <paramref name="subuid"/>, <paramref name="subgid"/>. Every problem is an InvalidArgument naming what to fix.
    /// </summary>
    public IdentityMapping Resolve(string passwd, string group, string subuid, string subgid)
    {
        var (userName, uid) = LookUp(passwd, User, "user", "/etc/passwd");
        var (groupName, gid) = LookUp(group, Group, "group", "/etc/group");
        var uids = SubordinateIds.RangesOf(subuid, userName, uid);
        if (uids.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"--userns-remap: no subuid ranges found for user \"{userName}\" in {SubordinateIds.SubuidFile}; add one, e.g. {userName}:{DefaultRangeFloor}:{DefaultRangeSize}");
        }

        var gids = SubordinateIds.RangesOf(subgid, groupName, gid);
        if (gids.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"--userns-remap: no subgid ranges found for group \"{groupName}\" in {SubordinateIds.SubgidFile}; add one, e.g. {groupName}:{DefaultRangeFloor}:{DefaultRangeSize}");
        }

        return new IdentityMapping(IdentityMapping.Contiguous(uids), IdentityMapping.Contiguous(gids)) { User = userName + ":" + groupName };
    }

    /// <summary>A name or number in a passwd-format database: its name and number.</summary>
    private static (string Name, uint Id) LookUp(string database, string wanted, string what, string file)
    {
        bool numeric = uint.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out uint number);
        foreach (string line in database.Split('\n'))
        {
            string[] fields = line.TrimEnd('\r').Split(':');
            if (fields.Length < 3 || !uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
            {
                continue;
            }

            if (numeric ? id == number : fields[0] == wanted)
            {
                return (fields[0], id);
            }
        }

        throw new BerthException(ErrorKind.InvalidArgument, numeric
            ? $"--userns-remap: {what} id {wanted} has no entry in {file}; give a {what} that exists, or default"
            : $"--userns-remap: no such {what} \"{wanted}\" in {file}; create it with its subordinate ids, or give default");
    }
}
