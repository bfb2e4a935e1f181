using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker events</c> against berthd: a live stream of what containers and networks go through, in order and
/// with their attributes, then the same events again from the daemon's memory with <c>--since</c>/<c>--until</c>,
/// and the filters (label terms all required, container by name, event, type).
/// </summary>
public sealed class EventsTests : DaemonTest
{
    private const string Format = "{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes \"exitCode\"}}{{index .Actor.Attributes \"container\"}}";

    [RootFact]
    public void LiveStreamThenReplayWithFilters()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        using var live = ClientProcess.Docker(daemon, "events", "--format", Format);

        // The stream is open once a network made now shows in it.
        Assert.True(Poll.Until(() =>
        {
            daemon.Docker("network", "rm", "evprobe");
            daemon.DockerChecked("network", "create", "evprobe");
            return live.Output.Contains("network create evprobe", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20)), "docker events showed nothing:\n" + live.Output + live.Error);
        daemon.DockerChecked("network", "rm", "evprobe");
        daemon.DockerChecked("network", "create", "--subnet", "10.182.0.0/24", "evnet");

        string id = daemon.DockerChecked("run", "-d", "--name", "ev1", "--label", "tier=web", "--label", "team=a", "--network", "evnet", "bb:latest", "sh", "-c", "sleep 300").Output.Trim();
        daemon.DockerChecked("run", "-d", "--name", "ev2", "--label", "tier=web", "bb:latest", "sh", "-c", "exit 3");
        Assert.Equal("3", daemon.DockerChecked("wait", "ev2").Output.Trim());
        daemon.DockerChecked("stop", "-t", "1", "ev1");
        daemon.DockerChecked("rm", "ev1");
        daemon.DockerChecked("rm", "ev2");
        daemon.DockerChecked("network", "rm", "evnet");

        Assert.True(Poll.Until(() => live.Output.Contains("network destroy evnet", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), live.Output);
        var lines = live.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipWhile(l => !l.StartsWith("container create ev1", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "container create ev1 ",
                "container start ev1 ",
                "container create ev2 ",
                "container start ev2 ",
                "container die ev2 3",
                "container kill ev1 ",
                "container die ev1 137",
                "container stop ev1 ",
                "container destroy ev1 ",
                "container destroy ev2 ",
            ],
            lines.Where(l => l.StartsWith("container ", StringComparison.Ordinal)));

        // Networks: joined at start, left at the exit, as moby reports them (with the container's id).
        Assert.Equal([$"network connect evnet {id}", $"network disconnect evnet {id}", "network destroy evnet "], lines.Where(l => l.Contains(" evnet", StringComparison.Ordinal)));
        Assert.Equal(lines.IndexOf($"network connect evnet {id}") + 1, lines.IndexOf("container start ev1 "));
        live.Interrupt();
        live.WaitForExit(TimeSpan.FromSeconds(10));

        // The same from the daemon's memory, filtered: labels are all required; container by name; event; type.
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string[] Past(params string[] filters) =>
            daemon.DockerChecked(["events", "--since", since.ToString(CultureInfo.InvariantCulture), "--until", until, "--format", Format, .. filters.SelectMany(f => new[] { "--filter", f })])
                .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["container die ev2 3"], Past("label=tier=web", "event=die", "container=ev2"));
        Assert.Equal(["container create ev1 ", "container destroy ev1 "], Past("label=tier=web", "label=team=a", "event=create", "event=destroy"));
        Assert.Equal(["network create evnet ", "network destroy evnet "], Past("type=network", "network=evnet", "event=create", "event=destroy"));
        Assert.Empty(Past("label=tier=web", "label=team=b"));

        // The JSON as docker-compose reads it: the legacy status/id/from beside Type/Action/Actor, times in s and ns.
        string json = daemon.DockerChecked("events", "--since", since.ToString(CultureInfo.InvariantCulture), "--until", until, "--filter", "event=die", "--filter", "container=ev2", "--format", "{{json .}}").Output.Trim();
        Assert.Matches("^\\{\"status\":\"die\",\"id\":\"[0-9a-f]{64}\",\"from\":\"bb:latest\",\"Type\":\"container\",\"Action\":\"die\",\"Actor\":\\{\"ID\":\"[0-9a-f]{64}\",\"Attributes\":\\{\"exitCode\":\"3\",\"image\":\"bb:latest\",\"name\":\"ev2\",\"tier\":\"web\"\\}\\},\"scope\":\"local\",\"time\":\\d{10},\"timeNano\":\\d{19}\\}$", json);

        var bad = daemon.Docker("events", "--since", since.ToString(CultureInfo.InvariantCulture), "--until", until, "--filter", "colour=red");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("invalid filter 'colour'", bad.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void ImagesVolumesAndExecsHaveDockersEvents()
    {
        using var daemon = StartDaemon();
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        BusyboxImage.Import(daemon, TestRoot);
        string image = daemon.DockerChecked("image", "inspect", "-f", "{{.Id}}", "bb:latest").Output.Trim();
        daemon.DockerChecked("tag", "bb:latest", "bb:v2");
        daemon.DockerChecked("save", "-o", Path.Combine(TestRoot, "saved.tar"), "bb:v2");
        daemon.DockerChecked("rmi", "bb:v2");

        daemon.DockerChecked("volume", "create", "evvol");
        daemon.DockerChecked("run", "--name", "user", "-v", "evvol:/data", "bb:latest", "true");
        daemon.DockerChecked("run", "-d", "--name", "sh1", "bb:latest", "sleep", "60");
        Assert.Equal(4, daemon.Docker("exec", "sh1", "sh", "-c", "exit 4").ExitCode);
        daemon.DockerChecked("rm", "-f", "user", "sh1");
        daemon.DockerChecked("volume", "rm", "evvol");
        daemon.DockerChecked("volume", "create", "spare");
        daemon.DockerChecked("volume", "prune", "-af");

        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string[] Past(string format, params string[] filters) =>
            daemon.DockerChecked(["events", "--since", since.ToString(CultureInfo.InvariantCulture), "--until", until, "--format", format, .. filters.SelectMany(f => new[] { "--filter", f })])
                .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [$"import {image} {image}", $"tag {image} bb:latest", $"tag {image} bb:v2", $"save {image} bb:v2", $"untag {image} bb:v2"],
            Past("{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}", "type=image"));
        Assert.Equal(
            ["create evvol", "mount evvol /data true", "unmount evvol ", "destroy evvol", "create spare", "destroy spare", "prune "],
            Past("{{.Action}} {{.Actor.ID}}{{with .Actor.Attributes.destination}} {{.}}{{end}}{{with index .Actor.Attributes \"read/write\"}} {{.}}{{end}}{{if eq .Action \"unmount\"}} {{end}}", "type=volume"));
        Assert.Equal(
            ["exec_create: sh -c exit 4 sh1", "exec_start: sh -c exit 4 sh1", "exec_die sh1 4"],
            Past("{{.Action}} {{.Actor.Attributes.name}}{{with .Actor.Attributes.exitCode}} {{.}}{{end}}", "container=sh1", "event=exec_create", "event=exec_start", "event=exec_die"));
    }
}
