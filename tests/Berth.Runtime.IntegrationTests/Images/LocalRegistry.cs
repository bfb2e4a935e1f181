using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Runtime.Images;

namespace Berth.Runtime.IntegrationTests.Images;

/// <summary>
/// Debian's docker-registry (distribution 2.8) on a free loopback port with storage in a temp dir,
/// optionally behind htpasswd basic auth. Pushes go over the plain registry HTTP API. Dispose stops
/// the process and deletes everything.
/// </summary>
internal sealed class LocalRegistry : IDisposable
{
    private const string RegistryBinary = "/usr/bin/docker-registry";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lock InstallLock = new();

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LocalRegistry(string dir, int port, Process process, HttpClient client)
    {
        Directory = dir;
        Port = port;
        _process = process;
        Client = client;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public HttpClient Client { get; }

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

    public static async Task<LocalRegistry> StartAsync(RegistryCredentials? credentials = null)
    {
        lock (InstallLock)
        {
            if (!File.Exists(RegistryBinary))
            {
                Cmd.RunWithTimeout(TimeSpan.FromMinutes(5), "apt-get", "install", "-y", "docker-registry");
            }

            Assert.True(File.Exists(RegistryBinary), "docker-registry could not be installed (apt-get install -y docker-registry)");
        }

        string dir = System.IO.Directory.CreateTempSubdirectory("berth-registry-").FullName;
        int port = FreePort();
        string auth = "";
        if (credentials is not null)
        {
            string hash = Cmd.Check("python3", "-c",
                "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", credentials.Password).Trim();
            File.WriteAllText(Path.Join(dir, "htpasswd"), $"{credentials.Username}:{hash}\n");
            auth = $"auth:\n  htpasswd:\n    realm: berth-test\n    path: {Path.Join(dir, "htpasswd")}\n";
        }

        string config = Path.Join(dir, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Join(dir, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);

        var start = new ProcessStartInfo(RegistryBinary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start docker-registry");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        if (credentials is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.Username + ":" + credentials.Password)));
        }

        var registry = new LocalRegistry(dir, port, process, client);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitReadyAsync();
        }
        catch
        {
            registry.Dispose();
            throw;
        }

        return registry;
    }

    /// <summary>Monolithic upload: POST an upload session, PUT the bytes with their digest.</summary>
    public async Task<string> PushBlobAsync(string repository, byte[] data)
    {
        string digest = Digests.Of(data);
        using var post = await Client.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = post.Headers.Location!;
        if (!location.IsAbsoluteUri)
        {
            location = new Uri(Client.BaseAddress!, location);
        }

        string separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await Client.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"blob upload answered {put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        return digest;
    }

    public async Task<string> PushManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await Client.PutAsync($"v2/{repository}/manifests/{reference}", content);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest upload answered {put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
        return Digests.Of(manifest);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Client.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
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

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            Assert.False(_process.HasExited, "docker-registry exited at start:\n" + Log);
            try
            {
                using var response = await Client.GetAsync("v2/");
                if (response.StatusCode is HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, "docker-registry did not answer /v2/ in time:\n" + Log);
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
