namespace Berth.Cli.Tests;

/// <summary>berth's volume commands against the fake daemon: docker's tables and messages, and the requests docker sends.</summary>
public sealed class VolumeCommandTests : IDisposable
{
    private const string VolumesJson = """
        {"Volumes":[
          {"CreatedAt":"2026-11-28T01:02:03Z","Driver":"local","Labels":{"team":"a","env":"prod"},"Mountpoint":"/var/lib/berth/volumes/data10/_data","Name":"data10","Options":null,"Scope":"local"},
          {"CreatedAt":"2026-11-28T01:02:03Z","Driver":"local","Labels":null,"Mountpoint":"/var/lib/berth/volumes/data9/_data","Name":"data9","Options":null,"Scope":"local"},
          {"CreatedAt":"2026-11-28T01:02:03Z","Driver":"local","Labels":{"com.docker.volume.anonymous":""},"Mountpoint":"/var/lib/berth/volumes/0123/_data","Name":"0123","Options":null,"Scope":"local"}],
         "Warnings":[]}
        """;

    private readonly FakeDaemon daemon = new();

    public VolumeCommandTests()
    {
        daemon.Routes = (method, path) => (method, path) switch
        {
            ("GET", "/volumes") => (200, VolumesJson),
            ("POST", "/volumes/create") => (201, """{"CreatedAt":"2026-11-28T01:02:03Z","Driver":"local","Labels":{"a":"1"},"Mountpoint":"/x/_data","Name":"made","Options":null,"Scope":"local"}"""),
            ("DELETE", "/volumes/data9") => (204, ""),
            ("DELETE", "/volumes/busy") => (409, """{"message":"remove busy: volume is in use - [0123456789abcdef]"}"""),
            ("POST", "/volumes/prune") => (200, """{"VolumesDeleted":["data9","0123"],"SpaceReclaimed":123456}"""),
            _ => null,
        };
    }

    public void Dispose() => daemon.Dispose();

    [Fact]
    public async Task LsPrintsDockersTableInNaturalNameOrder()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "volume", "ls");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("DRIVER    VOLUME NAME\nlocal     0123\nlocal     data9\nlocal     data10\n", run.Out);
        Assert.Equal(["GET /v1.45/volumes"], daemon.Requests);
    }

    [Fact]
    public async Task LsFormatsQuietAndFiltersAsDocker()
    {
        var formatted = await CliRun.RunAsync(daemon.Uri, "volume", "ls", "--filter", "dangling=true", "--format", "{{.Name}}|{{.Labels}}|{{.Label \"team\"}}|{{.Links}}|{{.Size}}|{{.Scope}}");
        Assert.Equal("0123|com.docker.volume.anonymous=||N/A|N/A|local\ndata9|||N/A|N/A|local\ndata10|env=prod,team=a|a|N/A|N/A|local\n", formatted.Out);
        Assert.Equal("GET /v1.45/volumes?filters=" + Uri.EscapeDataString("""{"dangling":{"true":true}}"""), daemon.Requests.Single());

        var quiet = await CliRun.RunAsync(daemon.Uri, "volume", "list", "-q");
        Assert.Equal("0123\ndata9\ndata10\n", quiet.Out);

        var json = await CliRun.RunAsync(daemon.Uri, "volume", "ls", "--format", "json");
        Assert.Equal(
            """{"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"","Links":"N/A","Mountpoint":"/var/lib/berth/volumes/data9/_data","Name":"data9","Scope":"local","Size":"N/A","Status":"N/A"}""",
            json.Out.Split('\n')[1]);
    }

    [Fact]
    public async Task CreateSendsDockersBodyAndPrintsTheName()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "volume", "create", "--label", "a=1", "-o", "o=x", "made");
        Assert.Equal((0, "made\n"), (run.ExitCode, run.Out));
        Assert.Equal("""POST /v1.45/volumes/create {"Driver":"local","DriverOpts":{"o":"x"},"Labels":{"a":"1"},"Name":"made"}""", daemon.Requests.Single());

        daemon.Requests.Clear();
        await CliRun.RunAsync(daemon.Uri, "volume", "create");
        Assert.Equal("""POST /v1.45/volumes/create {"Driver":"local"}""", daemon.Requests.Single());

        var conflict = await CliRun.RunAsync(daemon.Uri, "volume", "create", "--name", "a", "b");
        Assert.Equal((1, "conflicting options: cannot specify a volume-name through both --name and as a positional arg\n"), (conflict.ExitCode, conflict.Err));
    }

    [Fact]
    public async Task RmPrintsWhatWentAndReportsWhatDidNot()
    {
        var run = await CliRun.RunAsync(daemon.Uri, "volume", "rm", "-f", "data9", "busy");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("data9\n", run.Out);
        Assert.Equal("Error response from daemon: remove busy: volume is in use - [0123456789abcdef]\n", run.Err);
        Assert.Equal(["DELETE /v1.45/volumes/data9?force=1", "DELETE /v1.45/volumes/busy?force=1"], daemon.Requests);
    }

    [Fact]
    public async Task PruneAsksThenPrintsDockersReport()
    {
        var declined = await CliRun.RunWithInputAsync(daemon.Uri, "n\n", "volume", "prune");
        Assert.Equal("WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ", declined.Out);
        Assert.Empty(daemon.Requests);

        var run = await CliRun.RunAsync(daemon.Uri, "volume", "prune", "-a", "-f", "--filter", "label=x");
        Assert.Equal("Deleted Volumes:\ndata9\n0123\n\nTotal reclaimed space: 123.5kB\n", run.Out);
        Assert.Equal("POST /v1.45/volumes/prune?filters=" + Uri.EscapeDataString("""{"all":{"true":true},"label":{"x":true}}"""), daemon.Requests.Single());

        var both = await CliRun.RunAsync(daemon.Uri, "volume", "prune", "-a", "-f", "--filter", "all=1");
        Assert.Equal("conflicting options: cannot specify both --all and --filter all=1\n", both.Err);
    }
}
