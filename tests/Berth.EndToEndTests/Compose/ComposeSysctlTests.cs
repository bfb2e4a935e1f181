using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// <c>sysctls:</c> through <c>berth compose</c>: the service's containers get the namespaced kernel parameters it sets
/// (a container of the same image without them keeps the kernel's default), <c>compose config</c> shows them, and one
/// the engine may not set in a container is refused in words before any container of the service exists.
/// </summary>
public sealed class ComposeSysctlTests : DaemonTest
{
    [RootFact]
    public void A_services_sysctls_are_set_in_its_containers_and_a_forbidden_one_is_refused()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string directory = Path.Combine(TestRoot, "compose-sysctl");
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, "compose.yml");
        File.WriteAllText(file, """
            services:
              tuned:
                image: bb:latest
                command: ["sleep", "300"]
                stop_grace_period: 1s
                sysctls:
                  net.core.somaxconn: 1234
                  net.ipv4.tcp_syncookies: 0
            """);
        string[] project = ["compose", "-p", "sy", "-f", file];

        var config = daemon.BerthCli([.. project, "config"]);
        Assert.True(config.Succeeded, config.ToString());
        Assert.Contains("sysctls:\n      net.core.somaxconn: \"1234\"\n      net.ipv4.tcp_syncookies: \"0\"", config.Output, StringComparison.Ordinal);

        var up = daemon.BerthCli([.. project, "up", "-d"]);
        Assert.True(up.Succeeded, up.ToString());
        Assert.Equal("1234 0", daemon.DockerChecked("exec", "sy_tuned_1", "sh", "-c", "echo $(cat /proc/sys/net/core/somaxconn) $(cat /proc/sys/net/ipv4/tcp_syncookies)").Output.Trim());
        Assert.Equal("{\"net.core.somaxconn\":\"1234\",\"net.ipv4.tcp_syncookies\":\"0\"}",
            daemon.DockerChecked("inspect", "-f", "{{json .HostConfig.Sysctls}}", "sy_tuned_1").Output.Trim());
        string untouched = daemon.DockerChecked("run", "--rm", "bb:latest", "cat", "/proc/sys/net/core/somaxconn").Output.Trim();
        Assert.NotEqual("1234", untouched);
        Assert.True(daemon.BerthCli([.. project, "down"]).Succeeded);

        // A parameter of the host's (not namespaced): refused, and nothing of the service is made.
        File.WriteAllText(file, """
            services:
              tuned:
                image: bb:latest
                command: ["sleep", "300"]
                sysctls:
                  vm.swappiness: 10
            """);
        var refused = daemon.BerthCli([.. project, "up", "-d"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("vm.swappiness", refused.Error + refused.Output, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq", "--filter", "label=com.docker.compose.project=sy").Output.Trim());
        daemon.BerthCli([.. project, "down"]);
        daemon.Stop();
    }
}
