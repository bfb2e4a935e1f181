using System.Net;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

/// <summary>
/// The short port syntax <c>[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]</c> (<c>"8080:80"</c>, <c>"127.0.0.1:8080:80/udp"</c>,
/// <c>"[::1]:8080:80"</c>, <c>"127.0.0.1::80"</c>). A target range (<c>80-81</c>) gives one entry per port, paired with an
/// equally long published range; a single target with a published range keeps the range (any free port of it).
/// </summary>
internal static class PortSpec
{
    public static readonly string[] Protocols = ["tcp", "udp", "sctp"];

    public static bool TryParseShort(string text, out List<ComposePort> ports, out string error)
    {
        ports = [];
        error = "";
        var protocol = "tcp";
        var body = text;
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..];
            body = text[..slash];
            if (!Protocols.Contains(protocol))
            {
                error = $"unknown protocol \"{protocol}\"; use tcp, udp or sctp";
                return false;
            }
        }

        string? hostIp = null;
        if (body.StartsWith('['))
        {
            var close = body.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                error = "an IPv6 host address is written [ADDRESS]:PUBLISHED:TARGET";
                return false;
            }

            hostIp = body[1..close];
            body = body[(close + 2)..];
            if (!body.Contains(':'))
            {
                error = "an IPv6 host address is written [ADDRESS]:PUBLISHED:TARGET";
                return false;
            }
        }

        var parts = body.Split(':');
        string? published;
        string target;
        switch (parts.Length)
        {
            case 1:
                (published, target) = (null, parts[0]);
                break;
            case 2:
                (published, target) = (parts[0], parts[1]);
                break;
            case 3 when hostIp is null:
                (hostIp, published, target) = (parts[0], parts[1], parts[2]);
                break;
            default:
                error = "expected [[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]";
                return false;
        }

        if (hostIp is not null && !IPAddress.TryParse(hostIp, out _))
        {
            error = $"\"{hostIp}\" is not an IP address";
            return false;
        }

        if (published is { Length: 0 })
        {
            published = null;
        }

        if (!TryRange(target, out var targetLow, out var targetHigh))
        {
            error = $"\"{target}\" is not a container port (1-65535) or range (80-81)";
            return false;
        }

        var publishedLow = 0;
        var publishedHigh = 0;
        if (published is not null && !TryRange(published, out publishedLow, out publishedHigh))
        {
            error = $"\"{published}\" is not a host port (1-65535) or range (8080-8081)";
            return false;
        }

        var count = targetHigh - targetLow + 1;
        if (published is not null && count > 1 && publishedHigh - publishedLow + 1 != count)
        {
            error = $"the container range {target} has {count} ports but the host range {published} has {publishedHigh - publishedLow + 1}; give ranges of one length";
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var hostPort = published is null ? null : count > 1 ? (publishedLow + i).ToString(System.Globalization.CultureInfo.InvariantCulture) : published;
            ports.Add(new ComposePort((ushort)(targetLow + i), hostPort, hostIp, protocol));
        }

        return true;
    }

    /// <summary><c>80</c> or <c>80-81</c>, every port in 1-65535, low ≤ high.</summary>
    public static bool TryRange(string text, out int low, out int high)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        high = 0;
        if (!TryPort(dash < 0 ? text : text[..dash], out low))
        {
            return false;
        }

        if (dash < 0)
        {
            high = low;
            return true;
        }

        return TryPort(text[(dash + 1)..], out high) && high >= low;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
