using Berth.Cluster.Swarm;
using Berth.Cluster.Tests.Etcd;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>berthd's <c>--cluster-store</c> and <c>--cluster-store-opt</c>, parsed and checked before berthd starts.</summary>
public sealed class ExternalClusterStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "berth-cluster-store-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void PlainEtcdUrlsAreHttpEndpointsInOrderWithEtcdsDefaultPort()
    {
        var store = ExternalClusterStore.Parse("etcd://10.0.0.1:2379,etcd-b.lan,[fd00::3]:2400", []);

        Assert.Equal([new Uri("http://10.0.0.1:2379"), new Uri("http://etcd-b.lan:2379"), new Uri("http://[fd00::3]:2400")], store.Endpoints.AsEnumerable());
        Assert.False(store.Tls);
        Assert.Equal("etcd://10.0.0.1:2379,etcd-b.lan,[fd00::3]:2400", store.Url);
        Assert.Null(store.CaFile);
    }

    [Theory]
    [InlineData("etcds://10.0.0.1")]
    [InlineData("https://10.0.0.1:2379")]
    public void EtcdsAndHttpsChooseTls(string url)
    {
        var store = ExternalClusterStore.Parse(url, []);

        Assert.Equal([new Uri("https://10.0.0.1:2379")], store.Endpoints.AsEnumerable());
        Assert.True(store.Tls);
    }

    [Fact]
    public void TlsFilesMakeAnEtcdUrlTlsAndLoad()
    {
        var files = TestCertificates.Write(_directory, "berth-node");

        var store = ExternalClusterStore.Parse("etcd://10.0.0.1:2379",
            [$"kv.cacertfile={files.CaFile}", $"kv.certfile={files.CertificateFile}", $"kv.keyfile={files.KeyFile}"]);

        Assert.True(store.Tls);
        Assert.Equal((files.CaFile, files.CertificateFile, files.KeyFile), (store.CaFile, store.CertificateFile, store.KeyFile));
        var (certificate, ca) = store.LoadCredentials();
        using (certificate)
        using (ca)
        {
            Assert.True(certificate!.HasPrivateKey);
            Assert.Equal("CN=berth-node", certificate.Subject);
            Assert.Equal("CN=test-ca", ca!.Subject);
        }
    }

    [Fact]
    public void AnUnknownOptionIsNamedWithTheAcceptedOnes()
    {
        var error = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse("etcd://10.0.0.1:2379", ["kv.path=/docker"]));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("--cluster-store-opt kv.path=/docker: unknown option \"kv.path\"; accepted: kv.cacertfile, kv.certfile, kv.keyfile", error.Message);
    }

    [Fact]
    public void EveryProblemIsReportedTogether()
    {
        string missing = Path.Combine(_directory, "missing.pem");

        var error = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse("etcd://10.0.0.1:2379",
            [$"kv.cacertfile={missing}", $"kv.certfile={missing}", "kv.keyfile", "kv.cacertfile=/again"]));

        Assert.Contains($"--cluster-store-opt kv.cacertfile={missing}: no such file", error.Message, StringComparison.Ordinal);
        Assert.Contains("--cluster-store-opt kv.keyfile: give kv.keyfile=PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("kv.cacertfile is given twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("kv.certfile and kv.keyfile go together", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1:2379", "with the scheme etcd, etcds, http or https")]
    [InlineData("consul://10.0.0.1:8500", "with the scheme etcd, etcds, http or https")]
    [InlineData("etcd://10.0.0.1:2379/docker", "a key path (\"/docker\") is not supported")]
    [InlineData("etcd://10.0.0.1:2379,,10.0.0.2", "\"\" is not HOST:PORT")]
    [InlineData("etcd://10.0.0.1:notaport", "\"10.0.0.1:notaport\" is not HOST:PORT")]
    public void ABadUrlIsRefusedWithWhatToGive(string url, string says)
    {
        var error = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse(url, []));

        Assert.StartsWith($"--cluster-store {url}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpWithTlsFilesAndFilesThatHoldNoCertificateAreRefused()
    {
        var files = TestCertificates.Write(_directory, "berth-node");
        string garbage = Path.Combine(_directory, "garbage.pem");
        File.WriteAllText(garbage, "not a certificate");

        var plain = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse("http://10.0.0.1:2379", [$"kv.cacertfile={files.CaFile}"]));
        var wrong = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse("etcd://10.0.0.1:2379", [$"kv.cacertfile={garbage}"]));
        var keyless = Assert.Throws<BerthException>(() => ExternalClusterStore.Parse("etcd://10.0.0.1:2379",
            [$"kv.certfile={files.CertificateFile}", $"kv.keyfile={files.CaFile}"]));

        Assert.Contains("http:// is plain text, yet --cluster-store-opt gives TLS files", plain.Message, StringComparison.Ordinal);
        Assert.StartsWith($"--cluster-store-opt kv.cacertfile={garbage}: not a PEM certificate", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("not a PEM certificate and its private key", keyless.Message, StringComparison.Ordinal);
    }
}
