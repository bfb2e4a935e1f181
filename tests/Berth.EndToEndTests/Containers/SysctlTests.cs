using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary><c>--sysctl</c> through the docker CLI and berth's: set in the container's own namespaces, with their effect; the rest refused at create.</summary>
public sealed class SysctlTests : DaemonTest
{
    [RootFact]
    public void NamespacedSysctlsAreSetAndTakeEffectOthersAreRefusedAtCreate()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // Set in the container's namespaces, and shown by inspect; the host's values stay as they were.
        string hostSomaxconn = DockerHost.Exec("cat", "/proc/sys/net/core/somaxconn").Output;
        daemon.DockerChecked("create", "--name", "tuned", "--sysctl", "net.core.somaxconn=1234", "--sysctl", "kernel.shmmax=1000000", "bb:latest",
            "cat", "/proc/sys/net/core/somaxconn", "/proc/sys/kernel/shmmax");
        Assert.Equal("map[kernel.shmmax:1000000 net.core.somaxconn:1234]", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Sysctls}}", "tuned").Output.Trim());
        Assert.Equal("1234\n1000000\n", daemon.DockerChecked("start", "-a", "tuned").Output);
        Assert.Equal(hostSomaxconn, DockerHost.Exec("cat", "/proc/sys/net/core/somaxconn").Output);

        // The effect: an unprivileged user may listen on port 80 only with ip_unprivileged_port_start lowered.
        const string Listen = "nc -l -p 80 & sleep 1; netstat -ltn | grep -c ':80 '";
        Assert.Equal("0", daemon.Docker("run", "--rm", "--user", "1000", "bb:latest", "sh", "-c", Listen).Output.Trim());
        Assert.Equal("1", daemon.DockerChecked("run", "--rm", "--user", "1000", "--sysctl", "net.ipv4.ip_unprivileged_port_start=0", "bb:latest", "sh", "-c", Listen).Output.Trim());
        Assert.Equal("0\n", daemon.BerthCli("run", "--rm", "--sysctl", "net.ipv4.ip_unprivileged_port_start=0", "bb:latest", "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").Output);

        // Not the container's to set: refused at create, naming it, with nothing made (the docker CLI refuses a global
        // one itself, so the API is asked directly).
        using (var api = DaemonApi.Client(daemon))
        {
            using var global = api.PostAsJsonAsync("/containers/create", new JsonObject
            {
                ["Image"] = "bb:latest",
                ["HostConfig"] = new JsonObject { ["Sysctls"] = new JsonObject { ["kernel.panic"] = "1" } },
            }).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.BadRequest, global.StatusCode);
            Assert.Contains("sysctl \"kernel.panic\" is not in a separate kernel namespace", JsonNode.Parse(global.Content.ReadAsStringAsync().GetAwaiter().GetResult())!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var hostNetwork = daemon.Docker("create", "--network", "host", "--sysctl", "net.core.somaxconn=1", "bb:latest");
        Assert.Contains("sysctl \"net.core.somaxconn\" not allowed in host network namespace", hostNetwork.Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "tuned");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }
}
