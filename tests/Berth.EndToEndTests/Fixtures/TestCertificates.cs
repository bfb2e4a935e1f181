using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>A CA made for one test and the PEM files of certificates it signs (server, client), in a directory of the test.</summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private static readonly TimeSpan Validity = TimeSpan.FromDays(1);

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly string _directory;

    public TestCertificates(string directory, string name)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.Add(Validity));
        CaPath = Path.Combine(directory, name + "-ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    public string CaPath { get; }

    /// <summary>A server certificate for <paramref name="address"/>: the paths of its certificate and key.</summary>
    public (string Certificate, string Key) Server(string name, IPAddress address)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        return Issue(name, ServerAuthentication, names.Build());
    }

    public (string Certificate, string Key) Client(string name) => Issue(name, ClientAuthentication, null);

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }

    private (string Certificate, string Key) Issue(string name, string usage, X509Extension? alternativeNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.Add(Validity), RandomNumberGenerator.GetBytes(16));
        string certificatePath = Path.Combine(_directory, name + ".pem");
        string keyPath = Path.Combine(_directory, name + "-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
