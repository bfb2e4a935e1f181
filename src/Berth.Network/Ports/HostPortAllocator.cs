using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Core.Ports;

namespace Berth.Network.Ports;

/// <summary>
/// Host ports of published container ports. Each port taken is also held by a bound (never listening) socket of
/// berthd's: no other program can take it while it is published, and one that already has it is found at once
/// ("already in use by another program") instead of silently losing its traffic to the container. The bound socket
/// never sees a packet: published ports are translated in prerouting/output, before any socket lookup.
/// Sockets are made on the calling thread, so call it from a thread in the host's network namespace (berthd's own
/// threads; never a namespace worker). Thread-safe.
/// </summary>
public sealed class HostPortAllocator : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(PortProtocol Protocol, ushort Port), List<Hold>> _held = [];
    private readonly Dictionary<PortProtocol, int> _next = [];
    private readonly EphemeralPortRange _ephemeral;

    public HostPortAllocator(EphemeralPortRange? ephemeral = null)
    {
        _ephemeral = ephemeral ?? EphemeralPortRange.FromKernel();
    }

    /// <summary>How many (address, port) pairs are held, for tests and diagnostics.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Values.Sum(h => h.Count);
            }
        }
    }

    /// <summary>
    /// Takes one host port, the same number on every address of <paramref name="hostIps"/> (0.0.0.0 and :: for a
    /// port published on every address): <paramref name="start"/> to <paramref name="end"/>, or the next free port of
    /// the ephemeral range when <paramref name="start"/> is 0. Nothing is held when it fails.
    /// </summary>
    public ushort Reserve(string owner, PortProtocol protocol, IReadOnlyList<IPAddress> hostIps, ushort start, ushort end)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(hostIps);
        lock (_gate)
        {
            if (start != 0)
            {
                string? firstProblem = null;
                for (int port = start; port <= end; port++)
                {
                    string? problem = TryHold(owner, protocol, hostIps, (ushort)port);
                    if (problem is null)
                    {
                        return (ushort)port;
                    }

                    firstProblem ??= problem;
                }

                throw new BerthException(ErrorKind.Conflict, start == end
                    ? firstProblem!
                    : $"Bind for {Describe(hostIps, $"{start}-{end}")} failed: every port of the range is taken; the first: {firstProblem}");
            }

            int count = _ephemeral.High - _ephemeral.Low + 1;
            int offset = _next.GetValueOrDefault(protocol);
            for (int i = 0; i < count; i++)
            {
                ushort port = (ushort)(_ephemeral.Low + ((offset + i) % count));
                if (TryHold(owner, protocol, hostIps, port) is null)
                {
                    _next[protocol] = (port - _ephemeral.Low + 1) % count;
                    return port;
                }
            }

            throw new BerthException(ErrorKind.Conflict,
                $"Bind for {Describe(hostIps, "")} failed: no free port in the ephemeral range {_ephemeral.Low}-{_ephemeral.High}; free some published ports or widen net.ipv4.ip_local_port_range");
        }
    }

    /// <summary>Takes exactly this port again (berthd's start, for the containers it adopts); the problem, or null.</summary>
    public string? Restore(string owner, PortProtocol protocol, IPAddress hostIp, ushort port)
    {
        lock (_gate)
        {
            return TryHold(owner, protocol, [hostIp], port);
        }
    }

    /// <summary>Lets go of every port the owner holds.</summary>
    public void Release(string owner)
    {
        lock (_gate)
        {
            foreach (var (key, holds) in _held.ToList())
            {
                foreach (var hold in holds.Where(h => h.Owner == owner).ToList())
                {
                    hold.Socket.Dispose();
                    holds.Remove(hold);
                }

                if (holds.Count == 0)
                {
                    _held.Remove(key);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var hold in _held.Values.SelectMany(h => h))
            {
                hold.Socket.Dispose();
            }

            _held.Clear();
        }
    }

    /// <summary>Holds the port on every address or none; the reason when it cannot.</summary>
    private string? TryHold(string owner, PortProtocol protocol, IReadOnlyList<IPAddress> hostIps, ushort port)
    {
        var holds = _held.GetValueOrDefault((protocol, port)) ?? [];
        foreach (var address in hostIps)
        {
            if (holds.Any(h => Overlaps(h.HostIp, address)))
            {
                return $"Bind for {Describe([address], port.ToString(System.Globalization.CultureInfo.InvariantCulture))} failed: port is already allocated";
            }
        }

        var made = new List<Hold>();
        foreach (var address in hostIps)
        {
            try
            {
                made.Add(new Hold(owner, address, Bind(protocol, address, port)));
            }
            catch (SocketException e)
            {
                foreach (var hold in made)
                {
                    hold.Socket.Dispose();
                }

                string where = Describe([address], port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return e.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => $"Bind for {where} failed: port is already in use by another program on this host; choose another host port or stop that program",
                    SocketError.AddressNotAvailable => $"Bind for {where} failed: {address} is not an address of this host; publish on one of the host's addresses or on all of them",
                    _ => $"Bind for {where} failed: {e.Message}",
                };
            }
        }

        if (!_held.TryGetValue((protocol, port), out var list))
        {
            _held[(protocol, port)] = list = [];
        }

        list.AddRange(made);
        return null;
    }

    private static Socket Bind(PortProtocol protocol, IPAddress address, ushort port)
    {
        var socket = protocol == PortProtocol.Udp
            ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false; // :: holds the IPv6 port only; 0.0.0.0 is held by its own socket
            }

            socket.Bind(new IPEndPoint(address, port));

            // .NET sets SO_REUSEADDR on TCP sockets it binds; with it on, any program that also asks for it (busybox
            // nc, most servers) could bind the port beside ours. Off after the bind, the port is ours alone.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Two bindings of one port collide when they are of one family and either is every address or both are the same.</summary>
    private static bool Overlaps(IPAddress a, IPAddress b) =>
        a.AddressFamily == b.AddressFamily && (IsAny(a) || IsAny(b) || a.Equals(b));

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string Describe(IReadOnlyList<IPAddress> addresses, string port) =>
        string.Join(", ", addresses.Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{port}" : $"{a}:{port}"));

    private sealed record Hold(string Owner, IPAddress HostIp, Socket Socket);
}
