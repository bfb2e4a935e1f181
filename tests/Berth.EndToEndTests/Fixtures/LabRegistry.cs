using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Debian's docker-registry serving 127.0.0.1:PORT inside a lab host (berthd's namespace), or another of that host's
/// addresses, holding one image pushed over the registry's HTTP API. The push happens first from a registry on the
/// test's own loopback, over the same storage directory; then that one stops and the lab's starts, asking for a
/// password when one is given (htpasswd, bcrypt). Dispose stops it and deletes the storage.
/// </summary>
public sealed class LabRegistry : IDisposable
{
    private const string RegistryBinary = "/usr/bin/docker-registry";
    private const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private Process? _process;

    private LabRegistry(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The address the lab's registry listens on (127.0.0.1 unless another was asked for).</summary>
    public string Host { get; private set; } = "127.0.0.1";

    public string Address => $"{Host}:{Port}";

    /// <summary>The user and password the lab's registry asks for; null: it asks for none.</summary>
    private (string User, string Password)? _login;

    /// <summary>The digest of the manifest pushed as <c>bb:latest</c>.</summary>
    public string ManifestDigest { get; private set; } = "";

    /// <summary>
    /// A registry in <paramref name="host"/> with <paramref name="rootfsTar"/> pushed as <c>bb:latest</c> (gzip layer, CMD sh),
    /// listening on <paramref name="listen"/> (<c>ADDRESS:PORT</c>; default 127.0.0.1 and a free port) and, with
    /// <paramref name="login"/>, answering only that user.
    /// </summary>
    public static async Task<LabRegistry> StartAsync(LabHost host, string rootfsTar, string directory, string? listen = null, (string User, string Password)? login = null)
    {
        if (!File.Exists(RegistryBinary))
        {
            Cmd.RunWithTimeout(TimeSpan.FromMinutes(5), "apt-get", "install", "-y", "-qq", "docker-registry");
        }

        Directory.CreateDirectory(directory);
        var registry = new LabRegistry(directory, FreePort());
        try
        {
            registry.Start(null);
            await registry.PushAsync(await File.ReadAllBytesAsync(rootfsTar));
            registry.Stop();
            if (listen is not null)
            {
                int colon = listen.LastIndexOf(':');
                registry.Host = listen[..colon];
                registry.Port = int.Parse(listen[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }

            registry._login = login;
            registry.Start(host);
            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
    }

    private void Start(LabHost? host)
    {
        string config = Path.Join(_directory, "config.yml");
        string auth = "";
        if (host is not null && _login is { } login)
        {
            // htpasswd's bcrypt line (the registry takes no other hash), made by apache2-utils.
            string passwords = Path.Join(_directory, "htpasswd");
            File.WriteAllText(passwords, Cmd.Check("htpasswd", "-Bbn", login.User, login.Password).Trim() + "\n");
            auth = $"""
                auth:
                  htpasswd:
                    realm: berth-lab
                    path: {passwords}
                """;
        }

        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Join(_directory, "data")}
            http:
              addr: {(host is null ? "127.0.0.1" : Host)}:{Port}
            {auth}
            """);
        var start = new ProcessStartInfo(host is null ? RegistryBinary : "nsenter") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (host is not null)
        {
            start.ArgumentList.Add("--net=" + host.NetnsPath);
            start.ArgumentList.Add(RegistryBinary);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start docker-registry");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Asking for a password, /v2/ answers 401: wget fails either way, its message says whether anything answered.
        bool ready = Poll.Until(() => host is null ? AnswersHere()
            : host.Exec("busybox", "wget", "-q", "-O", "/dev/null", $"http://{Address}/v2/") is { } probe && (probe.ExitCode == 0 || probe.Error.Contains("401", StringComparison.Ordinal)), StartTimeout);
        Assert.True(ready, $"docker-registry did not answer on {Address}");
    }

    private bool AnswersHere()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task PushAsync(byte[] rootfsTar)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{Address}/") };
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(rootfsTar);
        }

        byte[] layer = gzipped.ToArray();
        string diffId = Digest(rootfsTar);
        string arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";
        byte[] config = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"{{arch}}","os":"linux","created":"2024-05-01T10:00:00Z","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]},"history":[{"created":"2024-05-01T10:00:00Z","created_by":"pushed by the Berth test"}]}""");
        await PushBlobAsync(client, layer);
        await PushBlobAsync(client, config);
        byte[] manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{OciManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{Digest(layer)}}","size":{{layer.Length}}}]}""");
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(OciManifestType);
        using var put = await client.PutAsync("v2/bb/manifests/latest", content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest upload answered {put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        ManifestDigest = Digest(manifest);
    }

    private static async Task PushBlobAsync(HttpClient client, byte[] data)
    {
        using var post = await client.PostAsync("v2/bb/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = post.Headers.Location!;
        location = location.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
        string separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(Digest(data))), content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"blob upload answered {put.StatusCode}");
    }

    private static string Digest(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
