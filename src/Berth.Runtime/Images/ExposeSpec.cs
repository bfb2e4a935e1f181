using System.Globalization;
using System.Net;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// One word of <c>EXPOSE</c> (Dockerfile, <c>import</c>/<c>commit --change</c>) as Docker reads it: go-connections'
/// <c>nat.ParsePortSpec</c>, which takes <c>[IP:][HOSTPORT:]PORT[-END][/PROTO]</c>, keeps only the container port(s)
/// and expands a range: <c>8000-8002/tcp</c> exposes three ports. The errors are Docker's words.
/// </summary>
public static class ExposeSpec
{
    private static readonly string[] Protocols = ["tcp", "udp", "sctp"];

    /// <summary>The exposed ports, <c>NUMBER/proto</c> (proto lowercased, tcp when absent).</summary>
    public static IReadOnlyList<string> Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (ip, hostPort, containerPart) = SplitParts(spec);
        var (proto, containerPort) = SplitProtoPort(containerPart);
        if (ip.StartsWith('['))
        {
            ip = ip.EndsWith(']') ? ip[1..^1] : throw Invalid($"Invalid ip address {ip}: missing ']' in address");
        }

        if (ip.Length > 0 && !IPAddress.TryParse(ip, out _))
        {
            throw Invalid($"Invalid ip address: {ip}");
        }

        if (containerPort.Length == 0)
        {
            throw Invalid($"No port specified: {spec}<empty>");
        }

        if (!TryRange(containerPort, out ulong start, out ulong end))
        {
            throw Invalid($"Invalid containerPort: {containerPort}");
        }

        if (hostPort.Length > 0)
        {
            if (!TryRange(hostPort, out ulong hostStart, out ulong hostEnd))
            {
                throw Invalid($"Invalid hostPort: {hostPort}");
            }

            // A host range with a single container port is a range to allocate from, so only unequal ranges are wrong.
            if (end - start != hostEnd - hostStart && end != start)
            {
                throw Invalid($"Invalid ranges specified for container and host Ports: {containerPort} and {hostPort}");
            }
        }

        string protocol = proto.ToLowerInvariant();
        if (!Protocols.Contains(protocol))
        {
            throw Invalid($"Invalid proto: {proto}");
        }

        var ports = new List<string>();
        for (ulong port = start; port <= end; port++)
        {
            ports.Add(port.ToString(CultureInfo.InvariantCulture) + "/" + protocol);
        }

        return ports;
    }

    // nat.splitParts: the last part is the container port, the one before it the host port, the rest the address.
    private static (string Ip, string HostPort, string ContainerPort) SplitParts(string spec)
    {
        string[] parts = spec.Split(':');
        return parts.Length switch
        {
            1 => ("", "", parts[0]),
            2 => ("", parts[0], parts[1]),
            _ => (string.Join(':', parts[..^2]), parts[^2], parts[^1]),
        };
    }

    // nat.SplitProtoPort: "80" and "80/" are tcp; an empty port gives nothing.
    private static (string Proto, string Port) SplitProtoPort(string text)
    {
        string[] parts = text.Split('/');
        if (text.Length == 0 || parts[0].Length == 0)
        {
            return ("", "");
        }

        return parts.Length == 1 || parts[1].Length == 0 ? ("tcp", parts[0]) : (parts[1], parts[0]);
    }

    // nat.ParsePortRange: 16-bit unsigned numbers (0 included), "START-END" with END >= START.
    private static bool TryRange(string text, out ulong start, out ulong end)
    {
        end = 0;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            bool single = TryPort(text, out start);
            end = start;
            return single;
        }

        string[] parts = text.Split('-');
        return TryPort(parts[0], out start) && TryPort(parts[1], out end) && end >= start;
    }

    private static bool TryPort(string text, out ulong port)
    {
        bool parsed = ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort value);
        port = value;
        return parsed;
    }

    private static BerthException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
