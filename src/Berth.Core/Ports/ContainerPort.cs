using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Core.Ports;

/// <summary>A port inside a container with its protocol, written as Docker writes it: <c>80/tcp</c>.</summary>
public readonly record struct ContainerPort(ushort Number, PortProtocol Protocol)
{
    /// <summary>
    /// Parses <c>80</c>, <c>80/tcp</c>, <c>53/udp</c> (Docker's <c>ExposedPorts</c> and <c>PortBindings</c> keys);
    /// <paramref name="where"/> names the field in the error.
    /// </summary>
    public static ContainerPort Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string number = slash < 0 ? text : text[..slash];
        string protocol = slash < 0 ? "tcp" : text[(slash + 1)..];
        var parsed = protocol.ToLowerInvariant() switch
        {
            "tcp" => PortProtocol.Tcp,
            "udp" => PortProtocol.Udp,
            "sctp" => throw new BerthException(ErrorKind.InvalidArgument, $"{where}: port \"{text}\": sctp ports are not supported by Berth; use tcp or udp"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"{where}: port \"{text}\": invalid proto \"{protocol}\"; use tcp or udp"),
        };
        if (!ushort.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{where}: invalid port specification \"{text}\": the port must be a number from 1 to 65535");
        }

        return new ContainerPort(port, parsed);
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public string ProtocolName => Protocol == PortProtocol.Udp ? "udp" : "tcp";

    /// <summary>Docker's order: by number, then protocol.</summary>
    public static Comparison<ContainerPort> Order { get; } = (a, b) => a.Number != b.Number ? a.Number.CompareTo(b.Number) : a.Protocol.CompareTo(b.Protocol);

    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)}/{ProtocolName}";
}
