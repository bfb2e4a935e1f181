using Berth.Cli.Tests.Stack;
using Berth.EndToEndTests.Compose;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// <c>docker stack deploy</c> of the guide's stack file, verbatim, with the real docker CLI (which does the stack logic
/// itself over the Docker API) on a lab swarm, the guide's images stood in for by busybox ones: the services converge
/// with their replica counts, <c>fe</c> answers on every node's published port from a client on the LAN, <c>api</c>
/// reaches <c>db</c> by name across nodes, a second deploy replaces no task, and <c>stack rm</c> leaves nothing. Berth's own
/// CLI (<c>berth stack</c>) prints the same ls/services/ps as docker for the same stack, in both directions: a stack docker
/// deployed is redeployed and removed by berth, and one berth deployed is seen, redeployed and removed by docker.
/// </summary>
public sealed partial class StackTests : ClusterTest
{
    private const string ClientAddress = "10.88.0.100";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>The guide's stack-ovl.yml, as printed.</summary>
    private const string GuideStack = GuideStacks.StackOvl;

    [RootFact]
    public void TheGuidesStackDeploysAnswersAndGoes()
    {
        StartNodes(3);
        var (workerToken, _) = InitSwarm();
        Node(2).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        Node(3).DockerChecked("swarm", "join", "--token", workerToken, $"{Address(1)}:2377");
        for (int node = 1; node <= 3; node++)
        {
            GuideImages.Import(Node(node), Path.Combine(TestRoot, $"images{node}"));
        }

        string file = Path.Combine(TestRoot, "stack-ovl.yml");
        File.WriteAllText(file, GuideStack);
        var deployed = Node(1).DockerChecked("stack", "deploy", "-c", file, "appstack");
        Assert.Contains("Creating network appstack_appnet", deployed.Output, StringComparison.Ordinal);
        Assert.Contains("Creating service appstack_fe", deployed.Output, StringComparison.Ordinal);

        Assert.True(Poll.Until(() => Node(1).DockerChecked("stack", "services", "appstack", "--format", "{{.Name}} {{.Replicas}}").Output.Trim()
            == "appstack_api 3/3\nappstack_db 1/1\nappstack_fe 2/2", Within),
            "the stack did not converge:\n" + Node(1).Docker("stack", "ps", "appstack").Output);
        Assert.Equal("appstack 3", Node(1).DockerChecked("stack", "ls", "--format", "{{.Name}} {{.Services}}").Output.Trim());
        Assert.Equal("overlay swarm true appstack", Node(1).DockerChecked("network", "inspect", "-f",
            "{{.Driver}} {{.Scope}} {{.Attachable}} {{index .Labels \"com.docker.stack.namespace\"}}", "appstack_appnet").Output.Trim());

        // fe through the routing mesh on every node, from the LAN.
        var client = AddLanHost("client", ClientAddress);
        using var http = new NetnsHttpClient(client.NetnsPath, Runner);
        for (int node = 1; node <= 3; node++)
        {
            string url = $"http://{Address(node)}:8080/";
            Assert.True(Poll.Until(() => http.TryGetAsync(url, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim() == GuideImages.Page, Within),
                $"fe does not answer on node {node}");
        }

        // api reaches db by its service name over appnet, from every api task (they are on several nodes).
        foreach (var node in Nodes)
        {
            foreach (string api in node.DockerChecked("ps", "-q", "--filter", "label=com.docker.swarm.service.name=appstack_api").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(Poll.Until(() => node.Docker("exec", api, "nc", "-w", "2", "db", "5432").Output.Trim() == GuideImages.PostgresReply, Within),
                    $"api task {api} does not reach db by name");
            }
        }

        // Berth's CLI shows the stack docker made as docker does, redeploys it without replacing a task, and removes it.
        AssertSameAsDocker("stack", "ls");
        AssertSameAsDocker("stack", "services", "appstack");
        AssertSameAsDocker("stack", "ps", "appstack");
        string before = RunningTasks();
        var redeployed = Berth(Node(1).BerthCli("stack", "deploy", "-c", file, "appstack"));
        Assert.Matches("^Updating service appstack_api \\(id: [0-9a-z]+\\)\nUpdating service appstack_db \\(id: [0-9a-z]+\\)\nUpdating service appstack_fe \\(id: [0-9a-z]+\\)\n$", redeployed.Output);
        Thread.Sleep(TimeSpan.FromSeconds(2));
        Assert.Equal(before, RunningTasks());
        var appstackNetworks = StackNetworkIds("appstack");
        Assert.Equal("Removing service appstack_api\nRemoving service appstack_db\nRemoving service appstack_fe\nRemoving network appstack_appnet\n",
            Berth(Node(1).BerthCli("stack", "rm", "appstack")).Output);
        AssertNothingLeft("appstack", appstackNetworks);

        // The other way round: a stack berth deployed is seen by docker as berth sees it, answers, and docker's redeploy replaces nothing.
        Assert.Equal("Creating network bstack_appnet\nCreating service bstack_api\nCreating service bstack_db\nCreating service bstack_fe\n",
            Berth(Node(1).BerthCli("stack", "deploy", "-c", file, "bstack")).Output);
        Assert.True(Poll.Until(() => Node(1).DockerChecked("stack", "services", "bstack", "--format", "{{.Name}} {{.Replicas}}").Output.Trim()
            == "bstack_api 3/3\nbstack_db 1/1\nbstack_fe 2/2", Within),
            "berth's stack did not converge:\n" + Node(1).Docker("stack", "ps", "bstack").Output);
        Assert.Equal("overlay swarm true bstack", Node(1).DockerChecked("network", "inspect", "-f",
            "{{.Driver}} {{.Scope}} {{.Attachable}} {{index .Labels \"com.docker.stack.namespace\"}}", "bstack_appnet").Output.Trim());
        AssertSameAsDocker("stack", "ls");
        AssertSameAsDocker("stack", "services", "bstack");
        AssertSameAsDocker("stack", "ps", "bstack");
        string meshUrl = $"http://{Address(2)}:8080/";
        Assert.True(Poll.Until(() => http.TryGetAsync(meshUrl, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult()?.Trim() == GuideImages.Page, Within),
            "berth's fe does not answer through the mesh");
        before = RunningTasks();
        Node(1).DockerChecked("stack", "deploy", "-c", file, "bstack");
        Thread.Sleep(TimeSpan.FromSeconds(2));
        Assert.Equal(before, RunningTasks());

        // docker's stack rm of berth's stack: no service, no task container, no network left on any node.
        var bstackNetworks = StackNetworkIds("bstack");
        Node(1).DockerChecked("stack", "rm", "bstack");
        AssertNothingLeft("bstack", bstackNetworks);
        var gone = Node(1).BerthCli("stack", "services", "bstack");
        Assert.Equal((0, "", "Nothing found in stack: bstack\n"), (gone.ExitCode, gone.Output, gone.Error));

        AssertWaitShownAsDocker();
    }

    /// <summary>
    /// <c>stack deploy --detach=false</c>: berth shows each service's convergence as docker does off a terminal (overall
    /// progress, the slots' first lines, the countdown of the monitor period, converged). How often a line repeats depends
    /// on timing, so repeats are folded, and service ids and stack names made equal.
    /// </summary>
    private void AssertWaitShownAsDocker()
    {
        string file = Path.Combine(TestRoot, "wait.yml");
        File.WriteAllText(file, """
            version: "3.9"
            services:
              web:
                image: bb:latest
                command: ["sleep", "600"]
                deploy:
                  replicas: 2
                  update_config:
                    monitor: 1s
            """);
        var docker = Node(1).DockerChecked("stack", "deploy", "--detach=false", "--resolve-image", "never", "-c", file, "dwait");
        var berth = Berth(Node(1).BerthCli("stack", "deploy", "--detach=false", "--resolve-image", "never", "-c", file, "bwait"));
        Assert.Equal(Folded(docker.Output, "dwait"), Folded(berth.Output, "bwait"));
        Assert.Contains("verify: Service ID converged", Folded(berth.Output, "bwait"));
        Assert.Equal(docker.Error.Replace("dwait", "STACK", StringComparison.Ordinal), berth.Error.Replace("bwait", "STACK", StringComparison.Ordinal));
        var bwaitNetworks = StackNetworkIds("bwait");
        var dwaitNetworks = StackNetworkIds("dwait");
        Berth(Node(1).BerthCli("stack", "rm", "bwait"));
        Node(1).DockerChecked("stack", "rm", "dwait");
        AssertNothingLeft("bwait", bwaitNetworks);
        AssertNothingLeft("dwait", dwaitNetworks);
    }

    private static List<string> Folded(string output, string stack)
    {
        // A count between none and all ("1 out of 2") shows or not depending on when the poll falls: left out on both sides.
        var lines = output.Replace(stack, "STACK", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.RegularExpressions.Regex.Replace(line, "(Service|id:) [0-9a-z]{25}", "$1 ID"))
            .Where(line => !System.Text.RegularExpressions.Regex.IsMatch(line, "^overall progress: [1-9][0-9]* out of") || line.EndsWith("out of 2 tasks", StringComparison.Ordinal) && line.StartsWith("overall progress: 2 ", StringComparison.Ordinal))
            .ToList();
        return [.. lines.Where((line, i) => i == 0 || lines[i - 1] != line)];
    }

    private string RunningTasks()
    {
        string[] services = Node(1).DockerChecked("service", "ls", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Node(1).DockerChecked(["service", "ps", "-q", "--filter", "desired-state=running", .. services]).Output;
    }

    private static CmdResult Berth(CmdResult result) =>
        result.Succeeded ? result : throw new InvalidOperationException("berth failed: " + result);

    /// <summary>
    /// berth prints what docker prints for the same stack. A task's "Running 21 seconds ago" ticks between the two runs (docker's
    /// CLI takes most of a second), so the count of seconds is the one thing not compared.
    /// </summary>
    private void AssertSameAsDocker(params string[] args)
    {
        string docker = "", berth = "";
        Assert.True(Poll.Until(() =>
        {
            docker = SecondsAgo().Replace(Node(1).DockerChecked(args).Output, "$1 N seconds ago");
            berth = SecondsAgo().Replace(Berth(Node(1).BerthCli(args)).Output, "$1 N seconds ago");
            return docker == berth;
        }, TimeSpan.FromSeconds(10)), $"berth {string.Join(' ', args)} differs from docker's:\n--- docker\n{docker}--- berth\n{berth}");
    }

    /// <summary>"Running 21 seconds ago" padded to its column: the number, whatever its width, and the padding after it.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(Running|Starting|Preparing|Assigned|Pending) \d+ seconds ago *")]
    private static partial System.Text.RegularExpressions.Regex SecondsAgo();

    private string[] StackNetworkIds(string stack)
    {
        string[] ids = Node(1).DockerChecked("network", "ls", "-q", "--no-trunc", "--filter", $"label=com.docker.stack.namespace={stack}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(ids);
        return ids;
    }

    /// <summary>
    /// Right after its stack rm, the stack's networks are gone for users, as Docker's are, though its tasks (sleep ignores
    /// SIGTERM: 10 s) are still stopping; once they have stopped, no container, service, network record in etcd or
    /// network sandbox is left on any node.
    /// </summary>
    private void AssertNothingLeft(string stack, string[] networks)
    {
        Assert.Empty(Node(1).DockerChecked("network", "ls", "-q", "--filter", $"label=com.docker.stack.namespace={stack}").Output.Trim());
        Assert.True(Poll.Until(() => Nodes.All(n => n.DockerChecked("ps", "-aq", "--filter", $"label=com.docker.stack.namespace={stack}").Output.Trim().Length == 0), Within),
            $"stack rm of {stack} left task containers");
        Assert.Empty(Node(1).DockerChecked("service", "ls", "-q").Output.Trim());
        string keys = "";
        Assert.True(Poll.Until(() =>
        {
            keys = Etcdctl(1, 1, "get", "--prefix", "--keys-only", "/berth/").Output;
            return networks.All(id => !keys.Contains("networks/" + id, StringComparison.Ordinal)
                && Nodes.All(n => !File.Exists(Path.Combine(n.ExecRoot, "netns", "ov-" + id[..12]))));
        }, Within), $"stack rm of {stack} left a network record or sandbox:\n{keys}");
    }
}
