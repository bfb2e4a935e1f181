using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Tests.Images;

public sealed class RegistryClientTests
{
    private const string Manifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":0},"layers":[]}""";

    /// <summary>A registry that wants a Bearer token from its token server, which wants basic credentials.</summary>
    private sealed class TokenRegistry : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            Requests.Add($"{uri.Host}{uri.PathAndQuery} {request.Headers.Authorization}");
            if (uri.Host == "auth.example")
            {
                string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("me:pw"));
                if (request.Headers.Authorization?.ToString() != expected)
                {
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized));
                }

                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"access_token":"tok123"}""") });
            }

            if (request.Headers.Authorization?.ToString() != "Bearer tok123")
            {
                var denied = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                denied.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer",
                    "realm=\"https://auth.example/token\",service=\"reg.example\",scope=\"repository:team/app:pull\""));
                return Task.FromResult(denied);
            }

            var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Manifest) };
            ok.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
            return Task.FromResult(ok);
        }
    }

    [Fact]
    public async Task Bearer_token_flow_with_basic_credentials_at_the_token_server()
    {
        var handler = new TokenRegistry();
        using var http = new HttpClient(handler);
        var client = new RegistryClient(http, NullLogger.Instance);
        var reference = ImageReference.Parse("reg.example/team/app:1");

        var (body, mediaType, digest) = await client.GetManifestAsync(reference, "1", new RegistryCredentials("me", "pw"));
        Assert.Equal(MediaTypes.OciManifest, mediaType);
        Assert.Equal(Digests.Of(Encoding.UTF8.GetBytes(Manifest)), digest);
        Assert.Equal(Manifest, Encoding.UTF8.GetString(body));
        Assert.Contains("auth.example/token?service=reg.example&scope=repository%3Ateam%2Fapp%3Apull Basic bWU6cHc=", handler.Requests);

        // The token is cached: the next request goes straight through.
        handler.Requests.Clear();
        await client.GetManifestAsync(reference, "1", new RegistryCredentials("me", "pw"));
        Assert.Equal(["reg.example/v2/team/app/manifests/1 Bearer tok123"], handler.Requests);
    }

    [Fact]
    public async Task Token_server_refusal_is_forbidden()
    {
        using var http = new HttpClient(new TokenRegistry());
        var client = new RegistryClient(http, NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<BerthException>(() =>
            client.GetManifestAsync(ImageReference.Parse("reg.example/team/app:1"), "1", new RegistryCredentials("me", "wrong")));
        Assert.Equal(ErrorKind.Forbidden, ex.Kind);
        Assert.Contains("team/app", ex.Message, StringComparison.Ordinal);
    }
}
