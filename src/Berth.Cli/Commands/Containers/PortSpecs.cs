using System.Globalization;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// docker's <c>nat.ParsePortSpecs</c> for <c>-p</c> and <c>--expose</c>: <c>[ip:][hostPort:]containerPort[/proto]</c> with port
/// ranges, IPv6 addresses in brackets. The result goes to the daemon as it is (<c>ExposedPorts</c>, <c>PortBindings</c>).
/// </summary>
public static class PortSpecs
{
    public sealed record Binding(string HostIp, string HostPort);

    /// <summary>Exposed "port/proto" keys and their bindings, each in the order given.</summary>
    public sealed class Result
    {
        public SortedSet<string> Exposed { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<Binding>> Bindings { get; } = new(StringComparer.Ordinal);
    }

    public static Result Parse(IEnumerable<string> publish, IEnumerable<string> expose)
    {
        var result = new Result();
        foreach (var spec in expose)
        {
            var (ports, proto) = SplitProto(spec);
            var (start, end) = ParseRange(ports, $"invalid range format for --expose: {spec}");
            for (var port = start; port <= end; port++)
            {
                result.Exposed.Add($"{port}/{proto}");
            }
        }

        foreach (var spec in publish)
        {
            var (ip, hostPorts, containerPorts) = SplitParts(spec);
            if (ip.StartsWith('[') && ip.EndsWith(']'))
            {
                ip = ip[1..^1];
            }

            if (ip.Length > 0 && !System.Net.IPAddress.TryParse(ip, out _))
            {
                throw new ArgumentException($"invalid IP address: {ip}");
            }

            var (portText, proto) = SplitProto(containerPorts);
            var (start, end) = ParseRange(portText, $"invalid containerPort: {portText}");
            long hostStart = 0, hostEnd = 0;
            if (hostPorts.Length > 0)
            {
                (hostStart, hostEnd) = ParseRange(hostPorts, $"invalid hostPort: {hostPorts}");
            }

            if (hostPorts.Length > 0 && end - start != hostEnd - hostStart && end != start)
            {
                throw new ArgumentException($"invalid ranges specified for container and host Ports: {portText} and {hostPorts}");
            }

            for (var i = 0L; i <= end - start; i++)
            {
                var key = $"{start + i}/{proto}";
                var hostPort = hostPorts.Length == 0 ? "" : (hostStart + i).ToString(CultureInfo.InvariantCulture);
                if (start == end && hostStart != hostEnd)
                {
                    hostPort = $"{hostPort}-{hostEnd}";
                }

                result.Exposed.Add(key);
                if (!result.Bindings.TryGetValue(key, out var list))
                {
                    result.Bindings[key] = list = [];
                }

                list.Add(new Binding(ip, hostPort));
            }
        }

        return result;
    }

    private static (string Ip, string HostPort, string ContainerPort) SplitParts(string spec)
    {
        var parts = spec.Split(':');
        return parts.Length switch
        {
            1 => ("", "", parts[0]),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            var n => (string.Join(':', parts[..(n - 2)]), parts[n - 2], parts[n - 1]),
        };
    }

    private static (string Ports, string Proto) SplitProto(string spec)
    {
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (spec, "tcp") : (spec[..slash], spec[(slash + 1)..].ToLowerInvariant());
    }

    private static (long Start, long End) ParseRange(string text, string error)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var startText = dash < 0 ? text : text[..dash];
        var endText = dash < 0 ? text : text[(dash + 1)..];
        if (!ushort.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !ushort.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < start)
        {
            throw new ArgumentException(error);
        }

        return (start, end);
    }
}
