using System.Globalization;

namespace Berth.Cli.Tests.Stack;

/// <summary>
/// <c>berth stack …</c> against a fake daemon: the requests deploy sends and in which order, what it prints (docker's words),
/// updates with the service's version and ForceUpdate, refusals before anything is made, and the ls/services/ps tables.
/// </summary>
public sealed class StackCommandTests : IDisposable
{
    private const string DetachNotice = "Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n";
    private const string ManagerInfo = """{"Swarm":{"NodeID":"n1","LocalNodeState":"active","ControlAvailable":true}}""";

    private readonly FakeDaemon daemon = new();
    private readonly string directory = Directory.CreateTempSubdirectory("berth-stack-cmd-").FullName;

    public void Dispose()
    {
        daemon.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private List<string> RequestLines() => [.. daemon.Requests.Select(r => string.Join(' ', r.Split(' ').Take(2)))];

    [Fact]
    public async Task DeployOfTheGuidesStackCreatesTheNetworkThenEachService()
    {
        var file = Write("stack-ovl.yml", GuideStacks.StackOvl);
        var created = 0;
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/info") => (200, ManagerInfo),
            ("GET", "/networks") or ("GET", "/services") => (200, "[]"),
            ("POST", "/networks/create") => (201, """{"Id":"net1","Warning":""}"""),
            ("GET", _) when path.StartsWith("/distribution/", StringComparison.Ordinal) => (500, """{"message":"no registry in the lab"}"""),
            ("POST", "/services/create") => (201, $$"""{"ID":"svc{{++created}}"}"""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", file, "appstack");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Creating network appstack_appnet\nCreating service appstack_api\nCreating service appstack_db\nCreating service appstack_fe\n", run.Out);
        Assert.Equal(DetachNotice, run.Err);
        var filter = Uri.EscapeDataString("""{"label":{"com.docker.stack.namespace=appstack":true}}""");
        Assert.Equal(
        [
            "GET /v1.45/info",
            "GET /v1.45/networks?filters=" + filter,
            "POST /v1.45/networks/create",
            "GET /v1.45/services?filters=" + filter,
            "GET /v1.45/distribution/myorg/api:1.0/json", "POST /v1.45/services/create",
            "GET /v1.45/distribution/postgres:15/json", "POST /v1.45/services/create",
            "GET /v1.45/distribution/nginx:alpine/json", "POST /v1.45/services/create",
        ], RequestLines());
        Assert.Contains("\"Target\":\"appstack_appnet\"", daemon.Requests[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedeployUpdatesWithTheVersionKeepsForceUpdateAndThePinnedImage()
    {
        var file = Write("stack.yml", "services: {db: {image: postgres:15}}");
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/info") => (200, ManagerInfo),
            ("GET", "/networks") => (200, """[{"Name":"app_default","Id":"n1","Labels":{"com.docker.stack.namespace":"app"}}]"""),
            ("GET", "/services") => (200, """
                [{"ID":"dbid","Version":{"Index":7},"Spec":{"Name":"app_db","Labels":{"com.docker.stack.image":"postgres:15","com.docker.stack.namespace":"app"},
                  "TaskTemplate":{"ContainerSpec":{"Image":"postgres:15@sha256:abcd"},"ForceUpdate":3},"Mode":{"Replicated":{"Replicas":1}}},"Endpoint":{"Spec":{}}}]
                """),
            ("POST", "/services/dbid/update") => (200, """{"Warnings":["a daemon warning"]}"""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "--resolve-image", "never", "--detach=true", "-c", file, "app");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Updating service app_db (id: dbid)\n", run.Out);
        Assert.Equal("a daemon warning\n", run.Err);
        var update = daemon.Requests.Single(r => r.StartsWith("POST", StringComparison.Ordinal));
        Assert.StartsWith("POST /v1.45/services/dbid/update?version=7 ", update, StringComparison.Ordinal);
        Assert.Contains("\"Image\":\"postgres:15@sha256:abcd\"", update, StringComparison.Ordinal);
        Assert.Contains("\"ForceUpdate\":3", update, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADaemonWithoutSecretsRefusesBeforeAnythingIsMade()
    {
        Write("token.txt", "t0k3n");
        var file = Write("stack.yml", "services: {web: {image: nginx, secrets: [token]}}\nsecrets: {token: {file: ./token.txt}}\n");
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/info") => (200, ManagerInfo),
            ("GET", "/networks") or ("GET", "/services") => (200, "[]"),
            ("GET", "/secrets/app_token") => (404, """{"message":"secret app_token not found"}"""),
            ("POST", "/secrets/create") => (501, """{"message":"secrets are not supported by Berth yet"}"""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", file, "app");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Creating secret app_token\n", run.Out);
        Assert.EndsWith("failed to create secret app_token: Error response from daemon: secrets are not supported by Berth yet\n", run.Err, StringComparison.Ordinal);
        Assert.Equal(["GET /v1.45/info", "GET /v1.45/secrets/app_token", "POST /v1.45/secrets/create"], RequestLines());
        Assert.Contains("\"Data\":\"dDBrM24=\"", daemon.Requests[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysASwarmIgnoresAreListedInDockersWords()
    {
        var file = Write("stack.yml", "services:\n  web:\n    image: nginx\n    build: .\n    restart: always\n    container_name: web1\n    expose: [\"80\"]\n");
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/info") => (200, """{"Swarm":{"ControlAvailable":false}}"""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", file, "app");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            "Ignoring unsupported options: build, restart\n\n" +
            "Ignoring deprecated options:\n\n" +
            "container_name: Setting the container name is not supported.\n\n" +
            "expose: Exposing ports is unnecessary - services on the same network can access each other's containers on any port.\n\n" +
            DetachNotice +
            "this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again\n", run.Err);
        Assert.Equal(["GET /v1.45/info"], RequestLines());
    }

    [Fact]
    public async Task ABrokenFileNamesItsPlaceAndDeploysNothing()
    {
        var file = Write("stack.yml", "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: many\n      mode: global\n");

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", file, "app");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{file}:5:17: services.web.deploy.replicas: must be a whole number of at least 0, not \"many\"\n", run.Err);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task MissingFilesAndFlagsAreDockersErrors()
    {
        var missing = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", "nosuch.yml", "app");
        var noFile = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "app");
        var badResolve = await CliRun.RunAsync(daemon.Uri, "stack", "up", "-c", Write("s.yml", "services: {a: {image: x}}"), "--resolve-image", "sometimes", "app");
        var noName = await CliRun.RunAsync(daemon.Uri, "stack", "deploy", "-c", "s.yml");

        Assert.Equal((1, "open nosuch.yml: no such file or directory\n"), (missing.ExitCode, missing.Err));
        Assert.Equal((1, "Specify a Compose file (with --compose-file)\n"), (noFile.ExitCode, noFile.Err));
        Assert.Equal((1, "Invalid option sometimes for flag --resolve-image\n"), (badResolve.ExitCode, badResolve.Err.Split('\n', 2)[0] == "Since --detach=false was not specified, tasks will be created in the background." ? "" : badResolve.Err));
        Assert.Equal(1, noName.ExitCode);
        Assert.StartsWith("berth: 'berth stack deploy' requires 1 argument", noName.Err, StringComparison.Ordinal);
        Assert.Empty(daemon.Requests);
    }

    [Fact]
    public async Task RmRemovesServicesThenNetworksAndSaysWhenNothingIsThere()
    {
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/services") => (200, """
                [{"ID":"s2","Spec":{"Name":"app_web","Labels":{}}},{"ID":"s1","Spec":{"Name":"app_db","Labels":{}}}]
                """),
            ("GET", "/networks") => (200, """[{"Name":"app_default","Id":"n1"}]"""),
            ("GET", "/secrets") or ("GET", "/configs") => (200, "[]"),
            ("DELETE", _) => (200, ""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "rm", "app");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Removing service app_db\nRemoving service app_web\nRemoving network app_default\n", run.Out);
        Assert.Equal(["DELETE /v1.45/services/s1", "DELETE /v1.45/services/s2", "DELETE /v1.45/networks/n1"], RequestLines().Where(r => r.StartsWith("DELETE", StringComparison.Ordinal)));

        daemon.Routes = (method, path) => method == "GET" ? (200, "[]") : null;
        var nothing = await CliRun.RunAsync(daemon.Uri, "stack", "down", "ghost");
        Assert.Equal((0, "", "Nothing found in stack: ghost\n"), (nothing.ExitCode, nothing.Out, nothing.Err));
    }

    private const string ServicesJson = """
        [{"ID":"fe0123456789abcdef","Spec":{"Name":"appstack_fe","Labels":{"com.docker.stack.namespace":"appstack"},
           "TaskTemplate":{"ContainerSpec":{"Image":"nginx:alpine@sha256:0123"}},"Mode":{"Replicated":{"Replicas":2}}},
           "Endpoint":{"Spec":{},"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"ingress"}]},
           "ServiceStatus":{"RunningTasks":2,"DesiredTasks":2,"CompletedTasks":0}},
         {"ID":"db0123456789abcdef","Spec":{"Name":"appstack_db","Labels":{"com.docker.stack.namespace":"appstack"},
           "TaskTemplate":{"ContainerSpec":{"Image":"postgres:15"},"Placement":{"MaxReplicas":1}},"Mode":{"Replicated":{"Replicas":1}}},
           "Endpoint":{"Spec":{}},"ServiceStatus":{"RunningTasks":0,"DesiredTasks":1,"CompletedTasks":0}}
        """;

    private const string OtherStackJson = """
         {"ID":"ag0123456789abcdef","Spec":{"Name":"other_agent","Labels":{"com.docker.stack.namespace":"other"},
           "TaskTemplate":{"ContainerSpec":{"Image":"busybox"}},"Mode":{"Global":{}}},"Endpoint":{"Spec":{}}}]
        """;

    [Fact]
    public async Task LsAndServicesPrintDockersTables()
    {
        daemon.Routes = (method, path) => (method, path) == ("GET", "/services") ? (200, ServicesJson + "," + OtherStackJson) : null;
        var ls = await CliRun.RunAsync(daemon.Uri, "stack", "ls");
        var json = await CliRun.RunAsync(daemon.Uri, "stack", "ls", "--format", "json");
        daemon.Routes = (method, path) => (method, path) == ("GET", "/services") ? (200, ServicesJson + "]") : null;
        var services = await CliRun.RunAsync(daemon.Uri, "stack", "services", "appstack");
        var quiet = await CliRun.RunAsync(daemon.Uri, "stack", "services", "-q", "appstack");

        Assert.Equal("NAME       SERVICES\nappstack   2\nother      1\n", ls.Out);
        Assert.Equal(
            "ID             NAME          MODE         REPLICAS               IMAGE          PORTS\n" +
            "db0123456789   appstack_db   replicated   0/1 (max 1 per node)   postgres:15    \n" +
            "fe0123456789   appstack_fe   replicated   2/2                    nginx:alpine   *:8080->80/tcp\n", services.Out);
        Assert.Equal("db0123456789\nfe0123456789\n", quiet.Out);
        Assert.Equal("{\"Name\":\"appstack\",\"Services\":\"2\"}\n{\"Name\":\"other\",\"Services\":\"1\"}\n", json.Out);
        var filter = Uri.EscapeDataString("""{"label":{"com.docker.stack.namespace=appstack":true}}""");
        Assert.Contains("GET /v1.45/services?filters=" + filter + "&status=true", daemon.Requests);
        Assert.Contains("GET /v1.45/services?filters=" + filter, daemon.Requests);
    }

    [Fact]
    public async Task PsNamesTasksBySlotNewestFirstWithOldOnesIndented()
    {
        var now = DateTimeOffset.UtcNow;
        string Ago(int minutes) => now.AddMinutes(-minutes).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);
        var tasks = $$$$"""
            [{"ID":"t1aaaaaaaaaaaaaaaaaaaa","CreatedAt":"{{{{Ago(10)}}}}","ServiceID":"svc","Slot":1,"NodeID":"node1","DesiredState":"shutdown",
              "Spec":{"ContainerSpec":{"Image":"nginx:alpine@sha256:0123"}},"Status":{"Timestamp":"{{{{Ago(9)}}}}","State":"failed","Err":"task: non-zero exit (1): a long explanation","PortStatus":{}}},
             {"ID":"t2bbbbbbbbbbbbbbbbbbbb","CreatedAt":"{{{{Ago(5)}}}}","ServiceID":"svc","Slot":1,"NodeID":"node2","DesiredState":"running",
              "Spec":{"ContainerSpec":{"Image":"nginx:alpine@sha256:0123"}},"Status":{"Timestamp":"{{{{Ago(3)}}}}","State":"running","PortStatus":{"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080,"PublishMode":"host"}]}}}]
            """;
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/tasks") => (200, tasks),
            ("GET", "/services/svc") => (200, """{"ID":"svc","Spec":{"Name":"appstack_fe"},"Endpoint":{"Spec":{}}}"""),
            ("GET", "/nodes/node1") => (200, """{"ID":"node1","Spec":{},"Description":{"Hostname":"node1host"}}"""),
            ("GET", "/nodes/node2") => (404, """{"message":"node node2 not found"}"""),
            _ => null,
        };

        var run = await CliRun.RunAsync(daemon.Uri, "stack", "ps", "appstack");
        var none = await CliRun.RunAsync(daemon.Uri, "stack", "ps", "-q", "--no-trunc", "appstack");

        Assert.Equal(
            "ID             NAME                IMAGE          NODE        DESIRED STATE   CURRENT STATE           ERROR                              PORTS\n" +
            "t2bbbbbbbbbb   appstack_fe.1       nginx:alpine   node2       Running         Running 3 minutes ago                                      *:8080->80/tcp\n" +
            "t1aaaaaaaaaa    \\_ appstack_fe.1   nginx:alpine   node1host   Shutdown        Failed 9 minutes ago    \"task: non-zero exit (1): a lo…\"   \n", run.Out);
        Assert.Equal("t2bbbbbbbbbbbbbbbbbbbb\nt1aaaaaaaaaaaaaaaaaaaa\n", none.Out);

        daemon.Routes = (method, path) => (method, path) == ("GET", "/tasks") ? (200, "[]") : null;
        var empty = await CliRun.RunAsync(daemon.Uri, "stack", "ps", "ghost");
        Assert.Equal((1, "nothing found in stack: ghost\n"), (empty.ExitCode, empty.Err));
    }
}
