using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Tests.Images;

/// <summary><c>docker login</c>'s check (<c>GET /v2/</c> and its challenge) and credentials never shared between callers.</summary>
public sealed class RegistryLoginTests
{
    private static readonly string MeBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("me:pw"));

    /// <summary>A registry asking for basic credentials (docker-registry's htpasswd), or for a Bearer token from a token server.</summary>
    private sealed class Registry(bool bearer) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            string authorization = request.Headers.Authorization?.ToString() ?? "";
            Requests.Add($"{uri.Scheme}://{uri.Authority}{uri.PathAndQuery} {authorization}".TrimEnd());
            if (uri.Host == "auth.example")
            {
                return Task.FromResult(authorization == MeBasic
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"tok"}""") }
                    : new HttpResponseMessage(HttpStatusCode.Unauthorized));
            }

            bool allowed = bearer ? authorization == "Bearer tok" : authorization == MeBasic;
            if (allowed)
            {
                var ok = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(uri.AbsolutePath == "/v2/" ? "{}" : """{"schemaVersion":2,"config":{"digest":"sha256:00","size":0},"layers":[]}""") };
                ok.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
                return Task.FromResult(ok);
            }

            var denied = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            denied.Headers.WwwAuthenticate.Add(bearer
                ? new AuthenticationHeaderValue("Bearer", "realm=\"https://auth.example/token\",service=\"reg\"")
                : new AuthenticationHeaderValue("Basic", "realm=\"berth-lab\""));
            return Task.FromResult(denied);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_login_answers_the_challenge_with_the_credentials(bool bearer)
    {
        var registry = new Registry(bearer);
        using var http = new HttpClient(registry);
        var client = new RegistryClient(http, NullLogger.Instance);
        await client.LoginAsync("127.0.0.1:5000", new RegistryCredentials("me", "pw"));
        Assert.Equal("http://127.0.0.1:5000/v2/", registry.Requests[0]);
        Assert.EndsWith(bearer ? " Bearer tok" : " " + MeBasic, registry.Requests[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refused_login_is_unauthorized_in_mobys_words(bool bearer)
    {
        using var http = new HttpClient(new Registry(bearer));
        var client = new RegistryClient(http, NullLogger.Instance);
        var refused = await Assert.ThrowsAsync<BerthException>(() => client.LoginAsync("127.0.0.1:5000", new RegistryCredentials("me", "nope")));
        Assert.Equal(ErrorKind.Unauthorized, refused.Kind);
        Assert.Equal("login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized", refused.Message);
        var none = await Assert.ThrowsAsync<BerthException>(() => client.LoginAsync("127.0.0.1:5000", null));
        Assert.Equal(ErrorKind.Unauthorized, none.Kind);
    }

    [Fact]
    public async Task One_callers_credentials_never_open_the_registry_to_another()
    {
        var registry = new Registry(bearer: false);
        using var http = new HttpClient(registry);
        var client = new RegistryClient(http, NullLogger.Instance);
        var reference = ImageReference.Parse("127.0.0.1:5000/team/app:1");
        await client.GetManifestAsync(reference, "1", new RegistryCredentials("me", "pw"));

        var anonymous = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(reference, "1", null));
        Assert.Contains("no basic auth credentials", anonymous.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(reference, "1", new RegistryCredentials("me", "guess")));

        // The same caller again goes straight through with what it was given.
        registry.Requests.Clear();
        await client.GetManifestAsync(reference, "1", new RegistryCredentials("me", "pw"));
        Assert.Equal([$"http://127.0.0.1:5000/v2/team/app/manifests/1 {MeBasic}"], registry.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("http://127.0.0.1:5000/v2/", "127.0.0.1:5000")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("", "docker.io")]
    [InlineData("Registry.Example:443", "registry.example:443")]
    public void A_login_server_address_names_its_registry(string address, string domain) =>
        Assert.Equal(domain, ImageStore.RegistryDomain(address));
}
