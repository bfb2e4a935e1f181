using System.Globalization;
using System.Net;

namespace Berth.Diagnostics.Doctor.Dhcp;

/// <summary>
/// Reads the lease files of the DHCP servers a Linux host commonly runs: dnsmasq's (<c>dnsmasq.leases</c>, one lease
/// a line: <c>EXPIRY MAC IP HOSTNAME CLIENT-ID</c>) and ISC dhcpd's (<c>dhcpd.leases</c>, <c>lease IP { … }</c> blocks,
/// the last block of an address being its current state; see dhcpd.leases(5)). Anything else is skipped, never an error.
/// </summary>
public static class DhcpLeaseFile
{
    /// <summary>The leases in every file that exists; files that cannot be read are left out.</summary>
    public static IReadOnlyList<DhcpLease> ReadAll(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var leases = new List<DhcpLease>();
        foreach (string path in paths)
        {
            try
            {
                leases.AddRange(Parse(File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // no DHCP server of that kind here
            }
        }

        return leases;
    }

    /// <summary>The active leases in one file's text, dnsmasq's or ISC dhcpd's (told apart by dhcpd's <c>lease … {</c> blocks).</summary>
    public static IReadOnlyList<DhcpLease> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("lease ", StringComparison.Ordinal) && text.Contains('{', StringComparison.Ordinal) ? ParseIsc(text) : ParseDnsmasq(text);
    }

    private static List<DhcpLease> ParseDnsmasq(string text)
    {
        var leases = new List<DhcpLease>();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && IPAddress.TryParse(fields[2], out var address))
            {
                string? hostname = fields.Length > 3 && fields[3] != "*" ? fields[3] : null;
                leases.Add(new DhcpLease(address, fields[1].ToLowerInvariant(), hostname));
            }
        }

        return leases;
    }

    private static List<DhcpLease> ParseIsc(string text)
    {
        // Later blocks of one address supersede earlier ones: keep the last, then drop those no longer bound.
        var last = new Dictionary<IPAddress, (DhcpLease Lease, bool Active)>();
        int at = 0;
        while ((at = text.IndexOf("lease ", at, StringComparison.Ordinal)) >= 0)
        {
            int open = text.IndexOf('{', at);
            int close = open < 0 ? -1 : text.IndexOf('}', open);
            if (close < 0)
            {
                break;
            }

            string head = text[(at + "lease ".Length)..open].Trim();
            string body = text[(open + 1)..close];
            at = close + 1;
            if (!IPAddress.TryParse(head, out var address))
            {
                continue;
            }

            string? mac = null;
            string? hostname = null;
            bool active = true;
            foreach (string raw in body.Split(';'))
            {
                string statement = raw.Trim();
                if (statement.StartsWith("hardware ethernet ", StringComparison.Ordinal))
                {
                    mac = statement["hardware ethernet ".Length..].Trim().ToLowerInvariant();
                }
                else if (statement.StartsWith("client-hostname ", StringComparison.Ordinal))
                {
                    hostname = statement["client-hostname ".Length..].Trim().Trim('"');
                }
                else if (statement.StartsWith("binding state ", StringComparison.Ordinal))
                {
                    active = statement["binding state ".Length..].Trim() == "active";
                }
            }

            last[address] = (new DhcpLease(address, mac, hostname), active);
        }

        return [.. last.Values.Where(v => v.Active).Select(v => v.Lease)];
    }
}
