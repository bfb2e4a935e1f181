using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Cluster.Swarm;

/// <summary>
/// The join service's transport (HTTPS on the advertise address, port 2377, the node's certificate as the server's):
/// <c>GET /ca</c> answers the CA certificate (the joiner checks it against its token before it sends anything),
/// <c>POST /join</c> a <see cref="JoinRequest"/>, <c>POST /renew</c> a <see cref="RenewRequest"/> with the member's
/// client certificate; each answers <see cref="JoinAnswer"/> or <see cref="JoinError"/>. Kestrel lives in Berth.Api;
/// the logic here (<see cref="IJoinService"/>).
/// </summary>
public interface IJoinListener
{
    /// <param name="certificate">Asked at each handshake: the node's certificate as it is now (it is renewed while the service runs).</param>
    Task<IAsyncDisposable> ListenAsync(IPEndPoint endpoint, Func<X509Certificate2> certificate, string caCertificatePem, IJoinService service,
        CancellationToken cancellationToken = default);
}
