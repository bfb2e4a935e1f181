using Berth.Build.Dockerfile;

namespace Berth.Build.Tests;

/// <summary>Each instruction's typed form.</summary>
public sealed class InstructionTests
{
    private static T Only<T>(string line) where T : Instruction =>
        Assert.IsType<T>(Assert.Single(DockerfileParser.Parse("FROM scratch\n" + line).Stages[0].Instructions));

    [Theory]
    [InlineData("ENV a=b c=\"d e\"", new[] { "a=b", "c=\"d e\"" })]
    [InlineData("ENV a b c", new[] { "a=b c" })]
    [InlineData("ENV a=", new[] { "a=" })]
    [InlineData("ENV a\\ b=c", new[] { "a\\ b=c" })]
    [InlineData("LABEL \"com.x\"=\"y z\" k=v", new[] { "\"com.x\"=\"y z\"", "k=v" })]
    public void NameValues(string line, string[] pairs)
    {
        var instruction = DockerfileParser.Parse("FROM scratch\n" + line).Stages[0].Instructions[0];
        var values = instruction switch
        {
            EnvInstruction e => e.Variables,
            LabelInstruction l => l.Labels,
            _ => throw new InvalidOperationException(),
        };
        Assert.Equal(pairs, values.Select(v => v.ToString()));
    }

    [Fact]
    public void ArgWithAndWithoutDefault() =>
        Assert.Equal<ArgDefinition>([new ArgDefinition("a", "1"), new ArgDefinition("b", null), new ArgDefinition("c", "")],
            Only<ArgInstruction>("ARG a=1 b c=").Arguments);

    [Fact]
    public void ExposeIsSorted() => Assert.Equal<string>(["443/tcp", "80", "8080"], Only<ExposeInstruction>("EXPOSE 8080 443/tcp   80").Ports);

    [Theory]
    [InlineData("VOLUME /a /b", new[] { "/a", "/b" })]
    [InlineData("VOLUME [\"/a\", \"/b c\"]", new[] { "/a", "/b c" })]
    public void Volumes(string line, string[] paths) => Assert.Equal(paths, Only<VolumeInstruction>(line).Paths);

    [Fact]
    public void WorkdirUserStopsignalTakeTheWholeRest()
    {
        Assert.Equal("/a b", Only<WorkdirInstruction>("WORKDIR /a b").Path);
        Assert.Equal("app:app", Only<UserInstruction>("USER app:app").User);
        Assert.Equal("SIGQUIT", Only<StopsignalInstruction>("STOPSIGNAL SIGQUIT").Signal);
    }

    [Fact]
    public void CopyAndAdd()
    {
        var copy = Only<CopyInstruction>("COPY a b /dst/");
        Assert.Equal<string>(["a", "b"], copy.Sources);
        Assert.Equal("/dst/", copy.Destination);
        var json = Only<CopyInstruction>("COPY [\"a b\", \"/d\"]");
        Assert.Equal<string>(["a b"], json.Sources);
        var add = Only<AddInstruction>("ADD --chown=app https://x/y.tgz /opt/");
        Assert.Equal(("app", "/opt/", false), (add.Chown, add.Destination, add.Link));
    }

    [Fact]
    public void ShellIsJsonOnly() => Assert.Equal<string>(["/bin/bash", "-c"], Only<ShellInstruction>("SHELL [\"/bin/bash\", \"-c\"]").Shell);

    [Fact]
    public void HealthcheckWithFlags()
    {
        var health = Only<HealthcheckInstruction>("HEALTHCHECK --interval=1m30s --timeout=5s --start-period=1.5s --start-interval=250ms --retries=3 CMD curl -f http://x/ || exit 1").Health;
        Assert.Equal<string>(["CMD-SHELL", "curl -f http://x/ || exit 1"], health.Test);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(250), 3),
            (health.Interval, health.Timeout, health.StartPeriod, health.StartInterval, health.Retries));
        Assert.Equal<string>(["CMD", "/bin/check", "-q"], Only<HealthcheckInstruction>("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]").Health.Test);
        Assert.True(Only<HealthcheckInstruction>("healthcheck none").Health.IsDisabled);
    }

    [Theory]
    [InlineData("1h", 3600.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("2m3s", 123.0)]
    [InlineData("100ms", 0.1)]
    [InlineData("1500us", 0.0015)]
    [InlineData("+2s", 2.0)]
    public void GoDurations(string text, double seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), GoDuration.Parse(text));

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("5", "time: missing unit in duration \"5\"")]
    [InlineData("5y", "time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData("99999999999h", "time: invalid duration \"99999999999h\"")]
    public void BadGoDurations(string text, string reason) =>
        Assert.Equal(reason, Assert.Throws<DockerfileException>(() => GoDuration.Parse(text)).Reason);

    [Theory]
    [InlineData(0.0, "0s")]
    [InlineData(90.0, "1m30s")]
    [InlineData(3600.0, "1h0m0s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(0.25, "250ms")]
    [InlineData(0.000001, "1µs")]
    public void GoDurationText(double seconds, string text) => Assert.Equal(text, GoFormat.Duration(TimeSpan.FromSeconds(seconds)));
}
