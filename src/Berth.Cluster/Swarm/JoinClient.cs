using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Pki;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>
/// The joining node's side of the join service. First <c>GET /ca</c> with no trust at all, and the CA's digest
/// checked against the token's (pinning); only then <c>POST /join</c> — the token and the certificate request —
/// over a connection whose server certificate must chain to that pinned CA. The token never reaches a manager the
/// token does not name.
/// </summary>
public static class JoinClient
{
    /// <summary>The swarm's control port (swarmkit's default listen port).</summary>
    public const int DefaultPort = 2377;

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Fetching the CA: a manager that takes longer is as good as absent.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The join itself: a manager may wait up to etcd's health interval before it can add a member.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public static async Task<JoinAnswer> JoinAsync(string manager, JoinToken token, JoinRequest request, CancellationToken cancellationToken = default)
    {
        Uri baseUri = ManagerUri(manager);
        string caPem;
        using (var anyServer = Client(_ => true))
        {
            caPem = await SendAsync(manager, () => anyServer.GetStringAsync(new Uri(baseUri, "/ca"), cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        token.VerifyCa(caPem);
        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var pinned = Client(certificate => Pki.CaTrust.ChainsTo(certificate, ca));
        pinned.Timeout = JoinTimeout;
        using var response = await SendAsync(manager,
            () => pinned.PostAsJsonAsync(new Uri(baseUri, "/join"), request, ClusterJsonContext.Default.JoinRequest, cancellationToken), cancellationToken).ConfigureAwait(false);
        return await AnswerAsync(manager, response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JoinAnswer> AnswerAsync(string manager, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadFromJsonAsync(ClusterJsonContext.Default.JoinError, cancellationToken).ConfigureAwait(false);
            throw new BerthException(error?.Kind ?? ErrorKind.Internal, error?.Message ?? $"the manager at {manager} refused the request ({(int)response.StatusCode})");
        }

        return await response.Content.ReadFromJsonAsync(ClusterJsonContext.Default.JoinAnswer, cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.Internal, $"the manager at {manager} answered with nothing");
    }

    /// <summary>
    /// A member asks a manager for a certificate (of its new role, or of a new root), authenticated by its current one;
    /// <paramref name="caPem"/> is the bundle the node trusts (both roots during a rotation).
    /// </summary>
    public static async Task<JoinAnswer> RenewAsync(string manager, string caPem, X509Certificate2 clientCertificate, RenewRequest request, CancellationToken cancellationToken = default)
    {
        X509Certificate2Collection ca = CaBundle.Load(caPem);
        try
        {
            using var client = Client(certificate => CaTrust.ChainsTo(certificate, ca), clientCertificate);
            client.Timeout = JoinTimeout;
            using var response = await SendAsync(manager,
                () => client.PostAsJsonAsync(new Uri(ManagerUri(manager), "/renew"), request, ClusterJsonContext.Default.RenewRequest, cancellationToken), cancellationToken).ConfigureAwait(false);
            return await AnswerAsync(manager, response, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CaBundle.Dispose(ca);
        }
    }

    /// <summary><c>HOST[:PORT]</c> → <c>https://HOST:PORT</c> (2377 when no port).</summary>
    public static Uri ManagerUri(string manager)
    {
        string text = manager.Trim();
        if (IPAddress.TryParse(text, out IPAddress? bare))
        {
            return new Uri($"https://{(bare.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bare}]" : bare.ToString())}:{DefaultPort}");
        }

        if (!Uri.TryCreate("https://" + text, UriKind.Absolute, out Uri? uri) || uri.AbsolutePath != "/")
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid remote address \"{manager}\": give a manager as HOST or HOST:PORT, e.g. 10.0.0.1:2377");
        }

        return uri.IsDefaultPort ? new UriBuilder(uri) { Port = DefaultPort }.Uri : uri;
    }

    private static HttpClient Client(Func<X509Certificate, bool> trust, X509Certificate2? clientCertificate = null) => new(new SocketsHttpHandler
    {
        ConnectTimeout = ConnectTimeout,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && trust(certificate),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        },
    })
    {
        Timeout = RequestTimeout,
    };

    private static async Task<T> SendAsync<T>(string manager, Func<Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw new BerthException(ErrorKind.Forbidden,
                $"the manager at {manager} presented a certificate that does not chain to the CA the join token names; the token is for another cluster, or the connection is intercepted", e);
        }
        catch (HttpRequestException e)
        {
            throw new BerthException(ErrorKind.Unavailable,
                $"could not reach a swarm manager at {manager}: {e.GetBaseException().Message}; check the address and that its port {DefaultPort} is reachable from this node", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BerthException(ErrorKind.Unavailable,
                $"timeout: no swarm manager answered at {manager} in time; check the address and that its port {DefaultPort} is reachable from this node", e);
        }
    }
}
