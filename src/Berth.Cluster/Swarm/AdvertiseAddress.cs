using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>
/// The IP a node advertises (moby <c>daemon/cluster/listen_addr.go</c>): <c>--advertise-addr</c> as an IP,
/// <c>IP:PORT</c> or an interface name; else the listen address if it is a specific IP; else the host's one
/// non-loopback IPv4 address, with Docker's error when there is none or more than one.
/// </summary>
public static class AdvertiseAddress
{
    public static IPAddress Resolve(string advertise, string listen, Func<ImmutableArray<(string Interface, IPAddress Address)>>? interfaces = null)
    {
        interfaces ??= HostAddresses;
        if (!string.IsNullOrWhiteSpace(advertise))
        {
            return Parse(advertise, "advertise", interfaces);
        }

        if (!string.IsNullOrWhiteSpace(listen))
        {
            IPAddress listening = Parse(listen, "listen", interfaces);
            if (!listening.Equals(IPAddress.Any) && !listening.Equals(IPAddress.IPv6Any))
            {
                return listening;
            }
        }

        var candidates = interfaces().Where(c => c.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(c.Address)).ToList();
        return candidates.Count switch
        {
            0 => throw new BerthException(ErrorKind.InvalidArgument, "could not find the system's IP address - specify one with --advertise-addr"),
            1 => candidates[0].Address,
            _ => throw new BerthException(ErrorKind.InvalidArgument,
                $"could not choose an IP address to advertise since this system has multiple addresses on different interfaces ({candidates[0].Address} on {candidates[0].Interface} and {candidates[1].Address} on {candidates[1].Interface}) - specify one with --advertise-addr"),
        };
    }

    private static IPAddress Parse(string text, string flag, Func<ImmutableArray<(string Interface, IPAddress Address)>> interfaces)
    {
        string value = text.Trim();
        if (IPAddress.TryParse(value, out IPAddress? address) || IPEndPoint.TryParse(value, out IPEndPoint? _) && IPAddress.TryParse(HostOf(value), out address))
        {
            return address;
        }

        string name = HostOf(value);
        var onInterface = interfaces().Where(c => c.Interface == name && c.Address.AddressFamily == AddressFamily.InterNetwork).ToList();
        return onInterface.Count switch
        {
            1 => onInterface[0].Address,
            0 when interfaces().All(c => c.Interface != name) => throw new BerthException(ErrorKind.InvalidArgument,
                $"invalid --{flag}-addr \"{text}\": not an IP address, IP:PORT, or the name of an interface of this host"),
            0 => throw new BerthException(ErrorKind.InvalidArgument, $"interface {name} has no usable IPv4 address - specify one with --{flag}-addr"),
            _ => throw new BerthException(ErrorKind.InvalidArgument,
                $"interface {name} has more than one IPv4 address ({onInterface[0].Address} and {onInterface[1].Address}) - specify one with --{flag}-addr"),
        };
    }

    private static string HostOf(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && !value.EndsWith(']') && value.IndexOf(':') == colon ? value[..colon] : value.Trim('[', ']');
    }

    private static ImmutableArray<(string, IPAddress)> HostAddresses() =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus != OperationalStatus.Down && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses.Select(u => (i.Name, u.Address))),
    ];
}
