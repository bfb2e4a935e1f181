using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Api.Hosting;

/// <summary>
/// TLS on berthd's TCP listeners, as dockerd's <c>--tls</c>/<c>--tlsverify</c>: the server's certificate and key, and
/// with <see cref="VerifyClients"/> the CA every client's certificate must chain to (a client without one is refused
/// during the handshake). Unix sockets are never wrapped: their file mode is their guard.
/// </summary>
public sealed record ApiTls
{
    /// <summary>id-kp-clientAuth (RFC 5280 §4.2.1.12); a certificate with no EKU extension passes, as in Go's verifier.</summary>
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private ApiTls(X509Certificate2 certificate, X509Certificate2Collection? clientCa)
    {
        Certificate = certificate;
        ClientCa = clientCa;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA client certificates are checked against; null: clients are not asked for one (<c>--tls</c> alone).</summary>
    public X509Certificate2Collection? ClientCa { get; }

    public bool VerifyClients => ClientCa is not null;

    /// <summary>Reads the PEM files; a missing or unreadable one is an InvalidArgument naming the flag and the path.</summary>
    public static ApiTls Load(string certificatePath, string keyPath, string? clientCaPath)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"--tlscert {certificatePath} / --tlskey {keyPath}: cannot load the server's certificate and key ({e.Message}); give PEM files of one key pair", e);
        }

        if (clientCaPath is null)
        {
            return new ApiTls(certificate, null);
        }

        var ca = new X509Certificate2Collection();
        try
        {
            ca.ImportFromPemFile(clientCaPath);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"--tlscacert {clientCaPath}: cannot load the CA certificate ({e.Message}); give a PEM file", e);
        }

        return ca.Count > 0
            ? new ApiTls(certificate, ca)
            : throw new BerthException(ErrorKind.InvalidArgument, $"--tlscacert {clientCaPath}: no certificate in the file; give the PEM of the CA that signs clients' certificates");
    }

    /// <summary>Kestrel's HTTPS options for one listener: TLS 1.2 or newer, client certificates required and chained to <see cref="ClientCa"/> when verifying.</summary>
    public HttpsConnectionAdapterOptions HttpsOptions() => new()
    {
        ServerCertificate = Certificate,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = VerifyClients ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
        ClientCertificateValidation = VerifyClients ? (certificate, _, _) => ChainsToClientCa(certificate) : null,
    };

    // The system's trust store plays no part: only the given CA may vouch for a client (dockerd's tlsconfig.Server does the same).
    private bool ChainsToClientCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ClientCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        return chain.Build(certificate);
    }
}
