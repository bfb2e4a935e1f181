using Berth.Linux.Addresses;
using Berth.Linux.Links;
using Berth.Linux.Neighbours;
using Berth.Linux.Routes;
using Berth.Linux.Rules;
using Microsoft.Extensions.Logging;

namespace Berth.Linux.Netlink;

/// <summary>
/// rtnetlink for one network namespace: the namespace of the thread that opened it. Open it on a
/// thread inside the target namespace once; afterwards it works from any thread.
/// </summary>
public sealed class RtnlClient : IDisposable
{
    private readonly NetlinkSocket _socket;

    private RtnlClient(NetlinkSocket socket)
    {
        _socket = socket;
        Links = new LinkOperations(socket);
        Addresses = new AddressOperations(socket, Links);
        Routes = new RouteOperations(socket, Links);
        Neighbours = new NeighbourOperations(socket, Links);
        Fdb = new FdbOperations(socket, Links);
        Rules = new RuleOperations(socket);
    }

    public LinkOperations Links { get; }

    public AddressOperations Addresses { get; }

    public RouteOperations Routes { get; }

    public NeighbourOperations Neighbours { get; }

    public FdbOperations Fdb { get; }

    /// <summary>Policy routing rules (<c>ip rule</c>).</summary>
    public RuleOperations Rules { get; }

    /// <summary>Opens a client for the calling thread's network namespace.</summary>
    public static RtnlClient Open(ILogger? logger = null) => new(NetlinkSocket.Open(logger));

    /// <summary>Collects several requests to send in one sendmsg (not a transaction; see <see cref="RtnlPipeline"/>).</summary>
    public RtnlPipeline Pipeline() => new(_socket);

    public void Dispose() => _socket.Dispose();
}
