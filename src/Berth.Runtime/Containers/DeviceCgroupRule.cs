using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// <c>--device-cgroup-rule 'TYPE MAJOR:MINOR ACCESS'</c> (Docker's <c>HostConfig.DeviceCgroupRules[]</c>): an allow rule
/// of the device cgroup, <c>c 1:3 mr</c>, <c>b 8:* rw</c>, <c>a *:* rwm</c>; the syntax of the cgroup v1
/// <c>devices.allow</c> file, which moby checks with the same pattern.
/// </summary>
public static partial class DeviceCgroupRule
{
    /// <summary>The allow rule <paramref name="rule"/> says; a malformed one is moby's 400.</summary>
    public static OciDeviceCgroup Parse(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Match match = Pattern().Match(rule);
        if (!match.Success)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid device cgroup format '{rule}'; give TYPE MAJOR:MINOR ACCESS, e.g. 'c 1:3 mr' (TYPE a, b or c; * for any number; ACCESS of r, w, m)");
        }

        return new OciDeviceCgroup(true, match.Groups["type"].Value, Number(match.Groups["major"].Value), Number(match.Groups["minor"].Value), match.Groups["access"].Value);
    }

    private static long? Number(string text) => text == "*" ? null : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<type>[acb]) (?<major>[0-9]+|\*):(?<minor>[0-9]+|\*) (?<access>[rwm]{1,3})$")]
    private static partial Regex Pattern();
}
