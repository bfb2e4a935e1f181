using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Network.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>HostConfig.ExtraHosts</c> (<c>--add-host</c>, compose's <c>extra_hosts</c>): <c>name:address</c> or <c>name=address</c>,
/// split at the first separator so IPv6 addresses keep their colons; written into /etc/hosts before the container's own lines.
/// </summary>
public static class ExtraHostEntries
{
    /// <summary>Returns the entries as given once each parses; refuses the first that does not (400).</summary>
    public static ImmutableArray<string> Validate(IEnumerable<string> extraHosts)
    {
        var entries = extraHosts.ToImmutableArray();
        _ = Parse(entries);
        return entries;
    }

    public static IReadOnlyList<HostsFile.Entry> Parse(ImmutableArray<string> extraHosts)
    {
        if (extraHosts.IsDefaultOrEmpty)
        {
            return [];
        }

        var entries = new List<HostsFile.Entry>(extraHosts.Length);
        foreach (var text in extraHosts)
        {
            var separator = text.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? equals : text.IndexOf(':', StringComparison.Ordinal);
            var name = separator > 0 ? text[..separator] : "";
            var address = separator > 0 ? text[(separator + 1)..].Trim('[', ']') : "";
            if (name.Length == 0 || !IPAddress.TryParse(address, out var ip))
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"invalid extra host \"{text}\": give name:address with an IP address (host-gateway is not supported), e.g. db.local:10.0.0.5");
            }

            entries.Add(new HostsFile.Entry(ip, [name]));
        }

        return entries;
    }
}
