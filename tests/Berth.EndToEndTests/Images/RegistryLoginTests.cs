using System.Text;
using System.Text.Json;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>
/// A registry in the lab that asks for a password: <c>docker login</c> (berthd asks the registry, <c>POST /auth</c>),
/// pulls with the credentials the CLI keeps and sends (<c>X-Registry-Auth</c>), refusals in Docker's words, and
/// <c>berth login/pull/logout</c> sharing docker's config file and printing what docker prints.
/// </summary>
public sealed class RegistryLoginTests : DaemonTest
{
    private const string User = "berth";
    private const string Password = "s3cret-Pa55";

    [RootFact]
    public async Task A_registry_that_asks_for_a_password_is_pulled_from_after_a_login_and_not_before()
    {
        using var daemon = StartDaemon();
        daemon.ClientConfig = Path.Combine(TestRoot, "docker-config");
        string configFile = Path.Combine(daemon.ClientConfig, "config.json");
        string tar = BusyboxImage.BuildTar(TestRoot);
        using var registry = await LabRegistry.StartAsync(DockerHost, tar, Path.Combine(TestRoot, "registry"), login: (User, Password));
        string image = registry.Address + "/bb:latest";

        // Anonymous: the registry's challenge goes unanswered, nothing is stored.
        var anonymous = daemon.Docker("pull", image);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("no basic auth credentials", anonymous.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("images", "-q").Output);

        // A wrong password: moby's words and status, and the CLI keeps nothing.
        var wrong = daemon.Docker("login", "-u", User, "-p", "not-it", registry.Address);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains($"login attempt to http://{registry.Address}/v2/ failed with status: 401 Unauthorized", wrong.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(configFile) && File.ReadAllText(configFile).Contains(registry.Address, StringComparison.Ordinal), File.Exists(configFile) ? File.ReadAllText(configFile) : "");

        var login = daemon.DockerChecked("login", "-u", User, "-p", Password, registry.Address);
        Assert.Equal("Login Succeeded\n", login.Output);
        using (var config = JsonDocument.Parse(File.ReadAllText(configFile)))
        {
            string stored = config.RootElement.GetProperty("auths").GetProperty(registry.Address).GetProperty("auth").GetString()!;
            Assert.Equal($"{User}:{Password}", Encoding.UTF8.GetString(Convert.FromBase64String(stored)));
        }

        var pull = daemon.DockerChecked("pull", image).Output;
        Assert.Contains("Status: Downloaded newer image for " + image, pull, StringComparison.Ordinal);
        Assert.Equal("pulled\n", daemon.DockerChecked("run", "--rm", image, "echo", "pulled").Output);

        // berth reads the credentials docker stored.
        daemon.DockerChecked("rmi", image);
        var berthPull = daemon.BerthCli("pull", image);
        Assert.True(berthPull.Succeeded, berthPull.ToString());
        Assert.Contains(registry.ManifestDigest, daemon.DockerChecked("images", "--digests").Output, StringComparison.Ordinal);

        // berth logout and login print what docker prints and leave the file as docker would.
        string before = File.ReadAllText(configFile);
        var berthLogout = daemon.BerthCli("logout", registry.Address);
        Assert.True(berthLogout.Output == $"Removing login credentials for {registry.Address}\n", $"{berthLogout}\n--- the file before ---\n{before}");
        Assert.DoesNotContain(registry.Address, File.ReadAllText(configFile), StringComparison.Ordinal);
        var dockerLogout = daemon.Docker("logout", registry.Address);
        var berthLogoutAgain = daemon.BerthCli("logout", registry.Address);
        Assert.Equal((dockerLogout.ExitCode, dockerLogout.Output, dockerLogout.Error), (berthLogoutAgain.ExitCode, berthLogoutAgain.Output, berthLogoutAgain.Error));
        daemon.DockerChecked("rmi", image);
        Assert.Equal(1, daemon.BerthCli("pull", image).ExitCode);

        var berthWrong = daemon.BerthCli("login", "-u", User, "-p", "not-it", registry.Address);
        Assert.Equal((wrong.ExitCode, wrong.Output, wrong.Error), (berthWrong.ExitCode, berthWrong.Output, berthWrong.Error));
        var berthLogin = daemon.BerthCli("login", "-u", User, "-p", Password, registry.Address);
        Assert.Equal((login.ExitCode, login.Output, login.Error), (berthLogin.ExitCode, berthLogin.Output, berthLogin.Error));
        Assert.True(daemon.BerthCli("pull", image).Succeeded);
        Assert.Equal("again\n", daemon.DockerChecked("run", "--rm", image, "echo", "again").Output);
        daemon.DockerChecked("logout", registry.Address);
    }

    [RootFact]
    public async Task Logins_are_checked_against_the_registry_and_bad_bodies_are_refused_in_words()
    {
        using var daemon = StartDaemon();
        string tar = BusyboxImage.BuildTar(TestRoot);
        using var registry = await LabRegistry.StartAsync(DockerHost, tar, Path.Combine(TestRoot, "registry"), login: (User, Password));
        using var client = DaemonApi.Client(daemon);

        async Task<(int Status, string Body)> PostAsync(string path, string body, string? registryAuth = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (registryAuth is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Registry-Auth", registryAuth);
            }

            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        string good = $$"""{"username":"{{User}}","password":"{{Password}}","serveraddress":"{{registry.Address}}"}""";
        Assert.Equal((200, """{"Status":"Login Succeeded","IdentityToken":""}""" + "\n"), await PostAsync("/v1.45/auth", good));
        var refused = await PostAsync("/v1.45/auth", good.Replace(Password, "x", StringComparison.Ordinal));
        Assert.Equal(401, refused.Status);
        Assert.Contains("failed with status: 401 Unauthorized", refused.Body, StringComparison.Ordinal);
        Assert.Equal(400, (await PostAsync("/v1.45/auth", "{not json")).Status);
        Assert.Equal(400, (await PostAsync("/v1.45/auth", "")).Status);
        Assert.Equal(400, (await PostAsync("/v1.45/auth", "{\"username\":\"" + new string('a', 70_000) + "\"}")).Status);

        // A pull whose header is not Docker's AuthConfig is a 400 naming the header, before anything is fetched.
        var badHeader = await PostAsync($"/v1.45/images/create?fromImage={registry.Address}/bb&tag=latest", "", "%%%not-base64");
        Assert.Equal(400, badHeader.Status);
        Assert.Contains("X-Registry-Auth", badHeader.Body, StringComparison.Ordinal);

        // The same header the docker CLI sends: base64url JSON.
        string header = Convert.ToBase64String(Encoding.UTF8.GetBytes(good)).Replace('+', '-').Replace('/', '_');
        var pulled = await PostAsync($"/v1.45/images/create?fromImage={registry.Address}/bb&tag=latest", "", header);
        Assert.Equal(200, pulled.Status);
        Assert.Contains("Downloaded newer image", pulled.Body, StringComparison.Ordinal);

        // What one client's credentials opened is not open to the next, anonymous, one.
        daemon.DockerChecked("rmi", registry.Address + "/bb:latest");
        var anonymous = await PostAsync($"/v1.45/images/create?fromImage={registry.Address}/bb&tag=latest", "");
        Assert.Contains("no basic auth credentials", anonymous.Body, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("images", "-q").Output);
    }
}
