using System.Net;
using System.Text;

namespace Berth.Network.Containers;

/// <summary>
/// A container's <c>/etc/resolv.conf</c>, as Docker writes it. On user-defined networks the
/// container asks Berth's embedded resolver at 127.0.0.11 (which forwards everything else to the
/// daemon's upstreams) with <c>options ndots:0</c>; on the default bridge it gets the host's own
/// resolvers, minus loopback ones (unreachable from another namespace) — or Google's public pair,
/// as Docker falls back to, when nothing else is left.
/// </summary>
public static class ResolvConf
{
    /// <summary>The embedded resolver's address inside every container on a user-defined network.</summary>
    public static readonly IPAddress EmbeddedResolver = IPAddress.Parse("127.0.0.11");

    private static readonly string[] DockerFallback = ["8.8.8.8", "8.8.4.4"];

    /// <summary>What the host's resolv.conf says, reduced to what matters here.</summary>
    public sealed record HostResolvers(IReadOnlyList<IPAddress> Nameservers, IReadOnlyList<string> Search, IReadOnlyList<string> Options);

    public static HostResolvers Parse(string hostResolvConf)
    {
        var nameservers = new List<IPAddress>();
        var search = new List<string>();
        var options = new List<string>();
        foreach (string raw in hostResolvConf.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (fields[0])
            {
                case "nameserver" when fields.Length > 1 && IPAddress.TryParse(fields[1], out var address):
                    nameservers.Add(address);
                    break;
                case "search" or "domain":
                    search.Clear();
                    search.AddRange(fields.Skip(1));
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }

        return new HostResolvers(nameservers, search, options);
    }

    /// <summary>
    /// The file for a container. <paramref name="embedded"/>: the container is on a user-defined
    /// network. <paramref name="dns"/>, <paramref name="dnsSearch"/>, <paramref name="dnsOptions"/>:
    /// the container's own <c>--dns</c>, <c>--dns-search</c>, <c>--dns-option</c> (they win).
    /// </summary>
    public static string Render(HostResolvers host, bool embedded, IReadOnlyList<string>? dns = null, IReadOnlyList<string>? dnsSearch = null, IReadOnlyList<string>? dnsOptions = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = new StringBuilder();
        IEnumerable<string> servers;
        var options = new List<string>(dnsOptions is { Count: > 0 } ? dnsOptions : host.Options);
        if (embedded)
        {
            // The embedded resolver forwards to --dns or the host's servers itself.
            servers = [EmbeddedResolver.ToString()];
            if (!options.Any(o => o.StartsWith("ndots:", StringComparison.Ordinal)))
            {
                options.Add("ndots:0");
            }
        }
        else if (dns is { Count: > 0 })
        {
            servers = dns;
        }
        else
        {
            var usable = host.Nameservers.Where(a => !IPAddress.IsLoopback(a)).Select(a => a.ToString()).ToList();
            servers = usable.Count > 0 ? usable : DockerFallback;
        }

        foreach (string server in servers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        var search = dnsSearch is { Count: > 0 } ? dnsSearch : host.Search;
        if (search.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', search).Append('\n');
        }

        if (options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', options).Append('\n');
        }

        return text.ToString();
    }
}
