using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Store.Tests.Etcd;

/// <summary>A CA made by the test, a server certificate for 127.0.0.1 signed by it, and a client certificate for mTLS.</summary>
internal sealed class EtcdTls : IDisposable
{
    private readonly ECDsa _serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public EtcdTls()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=berth-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        Ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var serverRequest = new CertificateRequest("CN=etcd-test-member", _serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        Server = serverRequest.Create(Ca, notBefore, notAfter, [1]);

        Client = MakeClient("CN=node-1", Ca, notBefore, notAfter, 2);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    /// <summary>A client certificate (with its key) signed by <see cref="Ca"/>.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A client certificate from a CA etcd does not trust.</summary>
    public static X509Certificate2 MakeStranger()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stranger-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return MakeClient("CN=stranger", ca, ca.NotBefore, ca.NotAfter, 3);
    }

    /// <summary>Writes the member's files into <paramref name="directory"/>; returns etcd's TLS flags.</summary>
    public IEnumerable<string> WriteServerFiles(string directory)
    {
        var ca = Path.Combine(directory, "ca.pem");
        var certificate = Path.Combine(directory, "server.pem");
        var key = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(ca, Ca.ExportCertificatePem());
        File.WriteAllText(certificate, Server.ExportCertificatePem());
        File.WriteAllText(key, _serverKey.ExportPkcs8PrivateKeyPem());
        return ["--client-cert-auth", "--trusted-ca-file", ca, "--cert-file", certificate, "--key-file", key];
    }

    /// <summary>TLS options for the fixture's own health checks (independent of the store's code).</summary>
    public SslClientAuthenticationOptions ClientSslOptions() => new()
    {
        ClientCertificates = [Client],
        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == Server.GetCertHashString(),
    };

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
        _serverKey.Dispose();
    }

    private static X509Certificate2 MakeClient(string subject, X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(ca, notBefore, notAfter, [serial]);
        return signed.CopyWithPrivateKey(key);
    }
}
