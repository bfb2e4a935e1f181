using Berth.Api.Hosting;
using Berth.Core.Errors;

namespace Berth.Api.Tests;

public sealed class ApiTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-tls-").FullName;

    [Fact]
    public void AMissingCertificateNamesTheFlagsAndPaths()
    {
        var error = Assert.Throws<BerthException>(() => ApiTls.Load(Path.Combine(_directory, "cert.pem"), Path.Combine(_directory, "key.pem"), null));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith($"--tlscert {_directory}/cert.pem / --tlskey {_directory}/key.pem: cannot load the server's certificate and key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACaFileWithoutACertificateIsRefused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=s", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        string cert = Path.Combine(_directory, "cert.pem");
        string keyPath = Path.Combine(_directory, "key.pem");
        string ca = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(ca, "not a certificate\n");

        Assert.False(ApiTls.Load(cert, keyPath, null).VerifyClients);
        var error = Assert.Throws<BerthException>(() => ApiTls.Load(cert, keyPath, ca));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith($"--tlscacert {ca}: no certificate in the file", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
