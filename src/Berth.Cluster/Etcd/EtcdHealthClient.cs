using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Berth.Cluster.Etcd;

/// <summary>
/// Asks one etcd member, over mutual TLS with the node's certificate, whether it serves (<c>/version</c>: answers
/// without quorum) and whether it is healthy (<c>/health</c>: it sees a leader and can commit).
/// </summary>
public sealed class EtcdHealthClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http;
    private readonly X509Certificate2Collection _ca;
    private readonly X509Certificate2 _certificate;

    /// <param name="certificateSource">When set, asked at each handshake for the certificate to show (a swarm node's is renewed while this runs).</param>
    public EtcdHealthClient(EtcdTlsFiles tls, Func<X509Certificate2>? certificateSource = null)
    {
        ArgumentNullException.ThrowIfNull(tls);
        _ca = Pki.CaBundle.LoadFile(tls.CaFile);
        _certificate = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [_certificate],
                LocalCertificateSelectionCallback = certificateSource is null ? null : (_, _, _, _, _) => certificateSource(),
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Pki.CaTrust.ChainsTo(certificate, _ca),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _http = new HttpClient(handler) { Timeout = RequestTimeout };
    }

    /// <summary>Whether the member at <paramref name="clientUrl"/> answers at all.</summary>
    public async Task<bool> ServesAsync(Uri clientUrl, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(clientUrl, "/version"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Whether the member at <paramref name="clientUrl"/> is part of a cluster with a leader.</summary>
    public async Task<bool> HealthyAsync(Uri clientUrl, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(clientUrl, "/health"), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return document.RootElement.TryGetProperty("health", out var health) && health.GetString() == "true";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _certificate.Dispose();
        Pki.CaBundle.Dispose(_ca);
    }
}
