using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests;

/// <summary>
/// A <see cref="TestApiHost"/> with a real <see cref="ImageStore"/> and a <see cref="FakeContainerEngine"/> in a
/// temporary root, holding one image <c>busy:latest</c> (a one-file rootfs, <c>CMD ["sh"]</c>).
/// </summary>
internal sealed class ContainerApiHost : IAsyncDisposable
{
    public const string Image = "busy:latest";

    private readonly string _root;
    private readonly ImageStore _images;

    private ContainerApiHost(string root, ImageStore images, FakeContainerEngine engine, TestApiHost host, string imageId)
    {
        _root = root;
        _images = images;
        Engine = engine;
        Host = host;
        ImageId = imageId;
    }

    public FakeContainerEngine Engine { get; }

    public TestApiHost Host { get; }

    public HttpClient Client => Host.Client;

    public string ImageId { get; }

    public static async Task<ContainerApiHost> StartAsync()
    {
        string root = Path.Combine(Path.GetTempPath(), $"berth-api-containers-{Guid.NewGuid():N}");
        var images = new ImageStore(Path.Combine(root, "images"), NullLogger<ImageStore>.Instance, LoopbackOnlyHttp.Client());
        var engine = new FakeContainerEngine(images, root);
        var host = await TestApiHost.StartAsync(images, engine);
        var body = new ByteArrayContent(RootfsTar());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await host.Client.PostAsync($"/v1.45/images/create?fromSrc=-&repo=busy&tag=latest&changes={Uri.EscapeDataString("CMD [\"sh\"]")}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new ContainerApiHost(root, images, engine, host, json.RootElement.GetProperty("status").GetString()!);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) => Host.PostJsonAsync(path, json);

    public Task<HttpResponseMessage> PostAsync(string path) => Client.PostAsync(path, content: null);

    /// <summary>Creates a container and returns its id (asserting Docker's 201 reply).</summary>
    public async Task<string> CreateAsync(string? name, string body = """{"Image":"busy:latest"}""")
    {
        using var response = await PostJsonAsync(name is null ? "/v1.45/containers/create" : $"/v1.45/containers/create?name={name}", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("Id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Engine.Dispose();
        _images.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] RootfsTar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/sh")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/true\n")),
            });
        }

        return buffer.ToArray();
    }
}
