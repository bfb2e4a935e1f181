using Berth.Runtime.Build;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Build;

public sealed class BuildConfigRulesTests
{
    private static readonly ContainerConfig Parent = new()
    {
        Env = ["PATH=/bin", "A=1"],
        Cmd = ["sh"],
        Labels = new Dictionary<string, string> { ["keep"] = "yes", ["over"] = "old" },
        ExposedPorts = new Dictionary<string, EmptyObject> { ["80/tcp"] = EmptyObject.Instance },
        OnBuild = ["RUN one"],
        User = "app",
    };

    [Fact]
    public void ChangesReplaceMergeOrAppendAsDockerfileInstructionsDo()
    {
        var config = new BuildConfigChanges
        {
            Env = ["A=2", "B=x=y"],
            Labels = new Dictionary<string, string> { ["over"] = "new" },
            ExposedPorts = ["53/UDP", "8080"],
            Volumes = ["/data"],
            OnBuild = ["RUN two"],
            Shell = ["/bin/bash", "-c"],
            StopSignal = "SIGQUIT",
        }.ApplyTo(Parent);

        Assert.Equal<string>(["PATH=/bin", "A=2", "B=x=y"], config.Env!);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "yes", ["over"] = "new" }, config.Labels);
        Assert.Equal<string>(["53/udp", "80/tcp", "8080/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal<string>(["/data"], config.Volumes!.Keys);
        Assert.Equal<string>(["RUN one", "RUN two"], config.OnBuild!);
        Assert.Equal<string>(["/bin/bash", "-c"], config.Shell!);
        Assert.Equal(("SIGQUIT", "app"), (config.StopSignal, config.User));
        Assert.Equal<string>(["sh"], config.Cmd!);
    }

    [Fact]
    public void AnEntrypointCanDropTheParentsCmdAndNothingGivenKeepsTheParent()
    {
        var entrypoint = new BuildConfigChanges { Entrypoint = ["/app"], ClearCmd = true }.ApplyTo(Parent);
        Assert.Null(entrypoint.Cmd);
        Assert.Equal<string>(["/app"], entrypoint.Entrypoint!);

        Assert.Equal(Parent, BuildConfigChanges.None.ApplyTo(Parent));
        Assert.Equal(new ContainerConfig { WorkingDir = "/w" }, new BuildConfigChanges { WorkingDir = "/w" }.ApplyTo(null));
    }

    [Fact]
    public void ABuildThatRanTheBaseTriggersDropsThemAndKeepsOnlyItsOwn()
    {
        Assert.Null(new BuildConfigChanges { ClearOnBuild = true }.ApplyTo(Parent).OnBuild);
        Assert.Equal<string>(["RUN two"], new BuildConfigChanges { ClearOnBuild = true, OnBuild = ["RUN two"] }.ApplyTo(Parent).OnBuild!);
    }
}
