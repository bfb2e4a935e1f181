using System.Net;
using System.Text;

namespace Berth.Network.Containers;

/// <summary>A container's <c>/etc/hosts</c>, as Docker writes it: localhost lines, then the container's own addresses, then <c>--add-host</c> entries.</summary>
public static class HostsFile
{
    public sealed record Entry(IPAddress Address, IReadOnlyList<string> Names);

    /// <param name="hostname">The container's hostname (its short id by default).</param>
    /// <param name="own">The container's addresses on its networks, each named by the hostname (and the container name where given).</param>
    /// <param name="extra">Entries from <c>--add-host name:ip</c>.</param>
    public static string Render(string hostname, IReadOnlyList<IPAddress> own, IReadOnlyList<Entry>? extra = null, string? containerName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        ArgumentNullException.ThrowIfNull(own);
        var text = new StringBuilder()
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("ff00::0\tip6-mcastprefix\n")
            .Append("ff02::1\tip6-allnodes\n")
            .Append("ff02::2\tip6-allrouters\n");
        foreach (var entry in extra ?? [])
        {
            text.Append(entry.Address).Append('\t').AppendJoin(' ', entry.Names).Append('\n');
        }

        foreach (var address in own)
        {
            text.Append(address).Append('\t').Append(hostname);
            if (containerName is not null && containerName != hostname)
            {
                text.Append(' ').Append(containerName);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
