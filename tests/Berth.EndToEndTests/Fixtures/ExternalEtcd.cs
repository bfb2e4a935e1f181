using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// An etcd the test runs itself, as a user would for <c>berthd --cluster-store</c>: one etcd 3.4 member inside a lab
/// host's namespace (<c>nsenter --net</c>), listening for clients on its lab address only, mutual TLS with a throwaway
/// CA (a client certificate per node); its data under the test's directory, so the leak guard sees it should it
/// outlive the test. Certificates first (berthd's flags name them), <see cref="Start"/> once its host exists.
/// </summary>
public sealed class ExternalEtcd : IDisposable
{
    private const string Binary = "/usr/bin/etcd";
    private const int ClientPort = 2379;
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly string _directory;
    private readonly string _address;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;
    private readonly System.Text.StringBuilder _log = new();
    private LabHost? _host;
    private Process? _process;
    private int _serial = 1;

    public ExternalEtcd(string directory, string address)
    {
        _directory = directory;
        _address = address;
        Directory.CreateDirectory(directory);
        var request = new CertificateRequest("CN=berth-test-etcd-ca", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(address));
        Issue("server", "etcd-server", names.Build(), [ServerAuth, ClientAuth]);
    }

    /// <summary>What berthd's <c>--cluster-store</c> says.</summary>
    public string Url => $"etcd://{_address}:{ClientPort}";

    public string CaFile => Path.Combine(_directory, "ca.pem");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>berthd's flags for this etcd, with a client certificate of <paramref name="client"/>'s own.</summary>
    public string[] BerthdArguments(string client)
    {
        Issue(client, client, null, [ClientAuth]);
        return ["--cluster-store", Url, "--cluster-store-opt", $"kv.cacertfile={CaFile}",
            "--cluster-store-opt", $"kv.certfile={Path.Combine(_directory, client + ".pem")}", "--cluster-store-opt", $"kv.keyfile={Path.Combine(_directory, client + "-key.pem")}"];
    }

    public void Start(LabHost host)
    {
        _host = host;
        Issue("etcdctl", "etcdctl", null, [ClientAuth]);
        string url = $"https://{_address}:{ClientPort}";
        // Peers on the namespace's loopback: a one-member cluster has none, and nothing of it should face the LAN but the client port.
        const string Peer = "http://127.0.0.1:2380";
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[$"--net={host.NetnsPath}", Binary, "--name", "store", "--data-dir", Path.Combine(_directory, "data"),
            "--listen-client-urls", url, "--advertise-client-urls", url, "--listen-peer-urls", Peer, "--initial-advertise-peer-urls", Peer,
            "--initial-cluster", "store=" + Peer, "--initial-cluster-state", "new", "--client-cert-auth", "--trusted-ca-file", CaFile,
            "--cert-file", Path.Combine(_directory, "server.pem"), "--key-file", Path.Combine(_directory, "server-key.pem"),
            "--logger", "zap", "--log-level", "warn"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start etcd");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!Poll.Until(() => _process.HasExited || Etcdctl("endpoint", "health").Succeeded, StartDeadline) || _process.HasExited)
        {
            throw new InvalidOperationException($"the test's etcd at {url} did not become healthy (exited: {_process.HasExited}):\n{Log}");
        }
    }

    /// <summary>etcdctl inside the etcd's namespace with a client certificate of its own.</summary>
    public CmdResult Etcdctl(params string[] args) =>
        (_host ?? throw new InvalidOperationException("etcd is not started")).Exec(["etcdctl", "--endpoints", $"https://{_address}:{ClientPort}", "--cacert", CaFile,
            "--cert", Path.Combine(_directory, "etcdctl.pem"), "--key", Path.Combine(_directory, "etcdctl-key.pem"), .. args]);

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _ca.Dispose();
        _caKey.Dispose();
    }

    private void Issue(string file, string commonName, X509Extension? names, Oid[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        var oids = new OidCollection();
        foreach (var usage in usages)
        {
            oids.Add(usage);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        using var certificate = request.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [(byte)_serial++]);
        File.WriteAllText(Path.Combine(_directory, file + ".pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, file + "-key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
