using System.Text;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Cluster;

/// <summary>
/// Swarm secrets and configs with the real docker CLI on a manager and a worker: a secret and a config reach the two
/// tasks of a service (one on each node; the worker's fetched from the manager over the node channel) as read-only
/// tmpfs files with the asked owner and mode; no file under either node's root holds the secret's bytes (nor their
/// base64), and under the exec root only the tasks' tmpfs does; <c>secret rm</c> of one in use is refused with
/// Docker's message and works once the service is gone, which also takes the tmpfs away; a stack file with top-level
/// <c>secrets:</c> and <c>configs:</c> deploys, and <c>stack rm</c> removes them.
/// </summary>
public sealed class SecretTests : ClusterTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private const string SecretText = "s3cr3t-berth-e2e-7f2c9a";
    private const string RotatedText = "r0t4t3d-berth-e2e-51be0d";
    private const string ConfigText = "listen=8080 # berth-e2e-config";

    private const string StackFile = """
        version: "3.9"
        secrets:
          pw:
            file: ./pw.txt
        configs:
          conf:
            file: ./app.conf
        services:
          app:
            image: bb:latest
            command: ["sleep", "600"]
            secrets: [pw]
            configs:
              - source: conf
                target: /etc/app.conf
        """;

    [RootFact]
    public void SecretsAndConfigsReachTasksOnEveryNodeInTmpfsAndNeverTouchADisk()
    {
        StartWorkerSwarm(2);
        WaitNodesReady(Within);

        string secretFile = Path.Combine(TestRoot, "pw.txt");
        string configFile = Path.Combine(TestRoot, "app.conf");
        File.WriteAllText(secretFile, SecretText);
        File.WriteAllText(configFile, ConfigText);
        string secretId = Node(1).DockerChecked("secret", "create", "--label", "team=a", "app_pw", secretFile).Output.Trim();
        Assert.Matches("^[0-9a-z]{25}$", secretId);
        Node(1).DockerChecked("config", "create", "app_conf", configFile);
        Assert.Equal("app_pw team=a", Node(1).DockerChecked("secret", "ls", "--filter", "label=team", "--format", "{{.Name}} {{.Labels}}").Output.Trim());
        string inspected = Node(1).DockerChecked("secret", "inspect", "app_pw").Output;
        Assert.Contains(secretId, inspected, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretText)), inspected, StringComparison.Ordinal);
        Assert.Equal(ConfigText, Encoding.UTF8.GetString(Convert.FromBase64String(
            Node(1).DockerChecked("config", "inspect", "-f", "{{json .Spec.Data}}", "app_conf").Output.Trim().Trim('"'))));

        Node(1).DockerChecked("service", "create", "--name", "web", "--replicas", "2", "--no-resolve-image", "--detach",
            "--secret", "source=app_pw,target=pw,uid=1000,gid=1001,mode=0400", "--config", "source=app_conf,target=/etc/app/app.conf", "bb:latest", "sleep", "600");
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "web") is { Length: > 0 } c && n.Docker("exec", c, "true").Succeeded), Within),
            "web does not run a task on each node:\n" + Node(1).Docker("service", "ps", "web").Output);

        foreach (var node in Nodes)
        {
            string container = TaskContainer(node, "web");
            Assert.Equal(SecretText, node.DockerChecked("exec", container, "cat", "/run/secrets/pw").Output);
            Assert.Equal("1000 1001 400", node.DockerChecked("exec", container, "stat", "-c", "%u %g %a", "/run/secrets/pw").Output.Trim());
            Assert.Equal(ConfigText, node.DockerChecked("exec", container, "cat", "/etc/app/app.conf").Output);
            Assert.Equal("0 0 444", node.DockerChecked("exec", container, "stat", "-c", "%u %g %a", "/etc/app/app.conf").Output.Trim());
            // mountinfo: "… /run/secrets/pw ro,… - tmpfs tmpfs …": a read-only bind of a file on a tmpfs.
            string mount = node.DockerChecked("exec", container, "grep", " /run/secrets/pw ", "/proc/self/mountinfo").Output.Trim();
            Assert.Matches(@" /run/secrets/pw ro[, ].* - tmpfs ", mount);
            Assert.False(node.Docker("exec", container, "sh", "-c", "echo x > /run/secrets/pw").Succeeded, "the secret file is writable");
        }

        AssertNotOnDisk();

        var refused = Node(1).Docker("secret", "rm", "app_pw");
        Assert.False(refused.Succeeded);
        Assert.Contains("rpc error: code = InvalidArgument desc = secret 'app_pw' is in use by the following service: web", refused.Error, StringComparison.Ordinal);
        Assert.Contains("config 'app_conf' is in use by the following service: web", Node(1).Docker("config", "rm", "app_conf").Error, StringComparison.Ordinal);

        // Rotation: a new secret takes the old one's place by `service update`; every task is replaced and reads the new
        // bytes at the same path; the old secret, no longer in the spec, may go, the new one may not.
        string rotatedFile = Path.Combine(TestRoot, "pw2.txt");
        File.WriteAllText(rotatedFile, RotatedText);
        Node(1).DockerChecked("secret", "create", "app_pw2", rotatedFile);
        string[] before = [.. Nodes.Select(n => TaskContainer(n, "web"))];
        Node(1).DockerChecked("service", "update", "--detach", "--secret-rm", "app_pw", "--secret-add", "source=app_pw2,target=pw,mode=0400", "web");
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "web") is { Length: > 0 } c && !before.Contains(c)
            && n.Docker("exec", c, "cat", "/run/secrets/pw").Output == RotatedText), TimeSpan.FromSeconds(60)),
            "the tasks do not read the rotated secret:\n" + Node(1).Docker("service", "ps", "web").Output);
        Node(1).DockerChecked("secret", "rm", "app_pw");
        Assert.Contains("secret 'app_pw2' is in use by the following service: web", Node(1).Docker("secret", "rm", "app_pw2").Error, StringComparison.Ordinal);

        Node(1).DockerChecked("service", "rm", "web");
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "web").Length == 0), Within), "service rm left task containers");
        Assert.True(Poll.Until(() => Nodes.All(n => TaskFileMounts(n).Count == 0), Within),
            "the tasks' tmpfs outlived their containers: " + string.Join(", ", Nodes.SelectMany(TaskFileMounts)));
        Node(1).DockerChecked("secret", "rm", "app_pw2");
        Node(1).DockerChecked("config", "rm", "app_conf");
        Assert.Empty(Node(1).DockerChecked("secret", "ls", "-q").Output.Trim());

        // A stack file's secrets and configs: made by the CLI as st_pw and st_conf with the namespace label, gone with stack rm.
        string stack = Path.Combine(TestRoot, "stack.yml");
        File.WriteAllText(stack, StackFile);
        var deployed = Node(1).DockerChecked("stack", "deploy", "--resolve-image", "never", "-c", stack, "st");
        Assert.Contains("Creating secret st_pw", deployed.Output, StringComparison.Ordinal);
        Assert.Contains("Creating config st_conf", deployed.Output, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Nodes.Any(n => TaskContainer(n, "st_app") is { Length: > 0 } c && n.Docker("exec", c, "cat", "/run/secrets/pw").Output == SecretText), Within),
            "the stack's task does not see its secret:\n" + Node(1).Docker("stack", "ps", "st").Output);
        var running = Nodes.First(n => TaskContainer(n, "st_app").Length > 0);
        Assert.Equal(ConfigText, running.DockerChecked("exec", TaskContainer(running, "st_app"), "cat", "/etc/app.conf").Output);
        Assert.Equal("st", Node(1).DockerChecked("secret", "inspect", "-f", "{{index .Spec.Labels \"com.docker.stack.namespace\"}}", "st_pw").Output.Trim());
        Node(1).DockerChecked("stack", "deploy", "--resolve-image", "never", "-c", stack, "st");

        var removed = Node(1).DockerChecked("stack", "rm", "st");
        Assert.Contains("Removing secret st_pw", removed.Output, StringComparison.Ordinal);
        Assert.Contains("Removing config st_conf", removed.Output, StringComparison.Ordinal);
        Assert.Empty(Node(1).DockerChecked("secret", "ls", "-q").Output.Trim());
        Assert.Empty(Node(1).DockerChecked("config", "ls", "-q").Output.Trim());
        Assert.True(Poll.Until(() => Nodes.All(n => TaskContainer(n, "st_app").Length == 0 && TaskFileMounts(n).Count == 0), Within), "stack rm left its task or its tmpfs");
    }

    private static string TaskContainer(Berthd node, string service) =>
        node.DockerChecked("ps", "-q", "--filter", $"label=com.docker.swarm.service.name={service}").Output.Trim();

    /// <summary>The tmpfs mounts of tasks' files on a node (its exec root's <c>task-files</c>), from the host's mount table.</summary>
    private static List<string> TaskFileMounts(Berthd node) =>
        [.. File.ReadAllLines("/proc/self/mounts").Select(line => line.Split(' ')).Where(f => f.Length > 2 && f[1].StartsWith(Path.Combine(node.ExecRoot, "task-files"), StringComparison.Ordinal)).Select(f => $"{f[1]} ({f[2]})")];

    /// <summary>
    /// Every regular file under each node's root (state, etcd's data and WAL, logs) is free of the secret's bytes and of
    /// their base64 (what the CLI sent); under the exec root only files on the tasks' tmpfs hold them. grep skips FIFOs,
    /// sockets and devices (<c>-D skip</c>: conmon's FIFOs would block a reader) and the namespace files under <c>netns</c>.
    /// </summary>
    private void AssertNotOnDisk()
    {
        string[] needles = [SecretText, Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretText))];
        var tmpfs = Nodes.SelectMany(TaskFileMounts).Select(m => m.Split(' ')[0] + "/").ToList();
        Assert.Equal(2, tmpfs.Count);
        foreach (var node in Nodes)
        {
            foreach (string needle in needles)
            {
                var found = Cmd.Run("grep", "-rlF", "-D", "skip", "--exclude-dir=netns", "--binary-files=text", "-e", needle, node.Root, node.ExecRoot);
                Assert.True(found.ExitCode is 0 or 1, found.Error);
                string[] files = found.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                foreach (string file in files)
                {
                    Assert.True(tmpfs.Any(mount => file.StartsWith(mount, StringComparison.Ordinal)), $"{file} holds the secret and is not on a task's tmpfs");
                }

                // The search does see what is there: the task's own file on its tmpfs.
                Assert.True(needle != SecretText || files.Length == 1, $"grep found {files.Length} files holding the secret on {node.Root}: {found.Output}");
            }
        }
    }
}
