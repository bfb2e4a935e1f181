using System.Globalization;
using System.Net;
using Berth.Core.Errors;

namespace Berth.Core.Ports;

/// <summary>
/// One entry of Docker's <c>HostConfig.PortBindings</c>: a container port published on a host address (null: every
/// address of the host) and a host port or range (<c>0</c>–<c>0</c>: any free port of the ephemeral range).
/// </summary>
public sealed record PortBinding(ContainerPort Port, IPAddress? HostIp, ushort HostPortStart, ushort HostPortEnd)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AnyHostPort => HostPortStart == 0;

    /// <summary>Parses the API's <c>{"HostIp": "127.0.0.1", "HostPort": "8080"}</c> (HostPort may be a range <c>8080-8090</c> or empty).</summary>
    public static PortBinding Parse(ContainerPort port, string? hostIp, string? hostPort)
    {
        IPAddress? address = null;
        if (!string.IsNullOrEmpty(hostIp))
        {
            string trimmed = hostIp.Trim('[', ']');
            if (!IPAddress.TryParse(trimmed, out address))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"PortBindings of {port}: invalid host IP \"{hostIp}\"; give an IPv4 or IPv6 address, or leave it empty for every address");
            }
        }

        if (string.IsNullOrEmpty(hostPort))
        {
            return new PortBinding(port, address, 0, 0);
        }

        int dash = hostPort.IndexOf('-', StringComparison.Ordinal);
        ushort start = ParseHostPort(port, hostPort, dash < 0 ? hostPort : hostPort[..dash]);
        ushort end = dash < 0 ? start : ParseHostPort(port, hostPort, hostPort[(dash + 1)..]);
        if (end < start)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"PortBindings of {port}: invalid host port range \"{hostPort}\": the end is below the start");
        }

        return new PortBinding(port, address, start, end);
    }

    /// <summary>The host side as Docker prints it: <c>127.0.0.1:8080</c>, <c>:8080-8090</c>, <c>[::1]:</c>.</summary>
    public override string ToString()
    {
        string ip = HostIp is null ? "" : HostIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{HostIp}]" : HostIp.ToString();
        string ports = AnyHostPort ? "" : HostPortStart == HostPortEnd
            ? HostPortStart.ToString(CultureInfo.InvariantCulture)
            : $"{HostPortStart.ToString(CultureInfo.InvariantCulture)}-{HostPortEnd.ToString(CultureInfo.InvariantCulture)}";
        return $"{ip}:{ports}->{Port}";
    }

    private static ushort ParseHostPort(ContainerPort port, string whole, string text) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort value) && value > 0
            ? value
            : throw new BerthException(ErrorKind.InvalidArgument, $"PortBindings of {port}: invalid host port \"{whole}\": use a number from 1 to 65535, a range such as 8080-8090, or nothing for any free port");
}
