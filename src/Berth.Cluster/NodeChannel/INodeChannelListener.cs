using System.Net;

namespace Berth.Cluster.NodeChannel;

/// <summary>
/// The node channel's transport: HTTPS on the node's advertise address, TCP <see cref="NodeChannelSession.Port"/>,
/// the node's certificate as the server's, a client certificate required and verified against the cluster's roots
/// (<see cref="NodeChannelCredentials.VerifyPeer"/>). It serves <c>GET /tasks/{id}/logs</c> (a task's log on the node
/// running it). Kestrel lives in Berth.Api; what runs it when, here (<see cref="NodeChannelSession"/>).
/// </summary>
public interface INodeChannelListener
{
    /// <summary>Listens until the result is disposed; a port in use is Conflict naming the endpoint.</summary>
    Task<IAsyncDisposable> ListenAsync(IPEndPoint endpoint, NodeChannelCredentialSource credentials, CancellationToken cancellationToken = default);
}
