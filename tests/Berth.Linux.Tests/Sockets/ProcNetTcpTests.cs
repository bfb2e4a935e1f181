using System.Net;
using System.Net.Sockets;
using Berth.Linux.Sockets;

namespace Berth.Linux.Tests.Sockets;

public sealed class ProcNetTcpTests
{
    [Fact]
    public void Listening_sockets_are_parsed_with_address_port_and_inode_and_others_are_skipped()
    {
        // Lines as a little-endian kernel prints them (proc_net_tcp.rst).
        string v4 = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
               1: 0A00004D:0050 1400004D:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
               2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0
            """;
        string v6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4545 1 0000000000000000 100 0 0 10 0
               1: 000080FE00000000FF000000000000FE:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4646 1 0000000000000000 100 0 0 10 0
            """;

        var sockets = ProcNetTcp.Parse(v4).Concat(ProcNetTcp.Parse(v6)).ToList();

        Assert.Equal(
            ["127.0.0.1:8080 4242", "0.0.0.0:8081 4444", "[::]:8082 4545", "[fe80::ff:fe00:0]:8083 4646"],
            sockets.Select(s => $"{s.Local} {s.Inode}"));
    }

    [Fact]
    public void A_socket_this_process_listens_on_is_found_with_its_owner()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var local = (IPEndPoint)listener.LocalEndPoint!;

        var found = Assert.Single(ProcNetTcp.Listening(), s => s.Local.Equals(local));
        var owners = SocketOwner.Find(new HashSet<ulong> { found.Inode });

        Assert.Equal(Environment.ProcessId, owners[found.Inode].Pid);
        Assert.Equal(File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim(), owners[found.Inode].Command);
    }
}
