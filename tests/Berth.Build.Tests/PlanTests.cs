using Berth.Build.Dockerfile;

namespace Berth.Build.Tests;

/// <summary>Stages for a target, ARG scoping and step-by-step substitution, history text like Docker's classic builder.</summary>
public sealed class PlanTests
{
    private const string MultiStage = """
        ARG GO=1.22
        FROM golang:${GO} AS build
        RUN go build
        FROM alpine AS unused
        RUN true
        FROM build AS test
        RUN go test
        FROM scratch
        COPY --from=build /app /app
        COPY --from=nginx:latest /etc/nginx /etc/nginx
        """;

    private static BuildPlan Plan(string text, string? target = null, Dictionary<string, string?>? args = null) =>
        BuildPlan.Create(DockerfileParser.Parse(text), target, args);

    /// <summary>Runs every instruction of the target stage; returns the steps.</summary>
    internal static List<StageStep> Run(BuildPlan plan, BaseImageConfig? image = null)
    {
        var context = StageContext.Start(plan, image ?? BaseImageConfig.Scratch);
        var steps = new List<StageStep>();
        foreach (var instruction in plan.Target.Instructions)
        {
            var step = context.Step(instruction);
            steps.Add(step);
            context = step.After;
        }
        return steps;
    }

    // Only the stages the target needs are built (BuildKit's rule); the step count stays the classic builder's, which
    // runs them all, so the steps that do run carry Docker's numbers.
    [Fact]
    public void OnlyTheStagesTheTargetNeedsInOrder()
    {
        var plan = Plan(MultiStage);
        Assert.Equal([0, 3], plan.Stages.Select(s => s.Index));
        Assert.Equal(1 + 4 * 2 + 1, plan.StepCount);
        Assert.Equal(new ImageSource("golang:1.22"), plan.Stages[0].Base);
        Assert.Equal(new ScratchSource(), plan.Target.Base);
        var copies = plan.Target.Instructions.OfType<CopyInstruction>().ToList();
        Assert.Equal(new PreviousStage(0, "build"), plan.Target.CopySourceOf(copies[0]));
        Assert.Equal(new ImageSource("nginx:latest"), plan.Target.CopySourceOf(copies[1]));
    }

    [Fact]
    public void TargetStopsAtItsStageAndFollowsFrom()
    {
        var plan = Plan(MultiStage, target: "TEST", args: new() { ["GO"] = "1.23" });
        Assert.Equal([0, 2], plan.Stages.Select(s => s.Index));
        Assert.Equal(1 + 3 * 2, plan.StepCount);
        Assert.Equal(new ImageSource("golang:1.23"), plan.Stages[0].Base);
        Assert.Equal(new PreviousStage(0, "build"), plan.Target.Base);
    }

    [Fact]
    public void CopyFromIndex()
    {
        var plan = Plan("FROM alpine\nFROM busybox\nFROM scratch\nCOPY --from=1 /bin/sh /sh");
        Assert.Equal([1, 2], plan.Stages.Select(s => s.Index));
        Assert.Equal(new PreviousStage(1, null), plan.Target.CopySourceOf(plan.Target.Instructions.OfType<CopyInstruction>().Single()));
    }

    [Fact]
    public void GlobalArgsOnlyInFromUnlessRedeclared()
    {
        var plan = Plan("ARG V=1\nARG W=${V}.0\nFROM scratch\nENV a=$V\nARG V\nENV b=$V c=$W\nARG W=own");
        var steps = Run(plan);
        Assert.Equal<string>(["a=", ], ((EnvInstruction)steps[0].Instruction).Variables.Select(v => v.ToString()));
        Assert.Equal<string>(["b=1", "c="], ((EnvInstruction)steps[2].Instruction).Variables.Select(v => v.ToString()));
        Assert.Equal("W=own", steps[3].After.BuildArgEnv.Single(a => a.StartsWith('W')));
    }

    [Fact]
    public void BuildArgsOverrideDefaults()
    {
        var plan = Plan("FROM scratch\nARG A=default\nARG B\nRUN echo", args: new() { ["A"] = "given", ["B"] = null });
        var steps = Run(plan);
        Assert.Equal<string>(["A=given"], steps[2].After.BuildArgEnv);
    }

    [Fact]
    public void EnvHidesArgAndExpandsWithValuesBeforeTheInstruction()
    {
        var plan = Plan("FROM scratch\nARG X=arg\nENV X=env Y=$X\nENV Z=$X");
        var steps = Run(plan);
        Assert.Equal<string>(["X=env", "Y=arg"], ((EnvInstruction)steps[1].Instruction).Variables.Select(v => v.ToString()));
        Assert.Equal("Z=env", ((EnvInstruction)steps[2].Instruction).Variables[0].ToString());
        Assert.Empty(steps[2].After.BuildArgEnv);
        Assert.Equal<string>(["PATH=" + StageContext.DefaultPath, "X=env", "Y=arg", "Z=env"], steps[2].After.Env);
    }

    [Fact]
    public void WhichInstructionsExpand()
    {
        var plan = Plan("""
            FROM scratch
            ENV D=/srv P="80 443" U=app
            WORKDIR $D
            WORKDIR sub/../data
            USER ${U}
            EXPOSE $P
            VOLUME $D/v
            LABEL "x"="${D}"
            COPY --chown=$U a$D $D/
            RUN echo $D
            CMD echo $D
            STOPSIGNAL SIG${U}
            """);
        var steps = Run(plan);
        Assert.Equal("/srv", ((WorkdirInstruction)steps[1].Instruction).Path);
        Assert.Equal("/srv/data", ((WorkdirInstruction)steps[2].Instruction).Path);
        Assert.Equal("app", ((UserInstruction)steps[3].Instruction).User);
        Assert.Equal<string>(["80", "443"], ((ExposeInstruction)steps[4].Instruction).Ports);
        Assert.Equal<string>(["/srv/v"], ((VolumeInstruction)steps[5].Instruction).Paths);
        Assert.Equal("x=/srv", ((LabelInstruction)steps[6].Instruction).Labels[0].ToString());
        var copy = (CopyInstruction)steps[7].Instruction;
        Assert.Equal(("app", "a/srv", "/srv/"), (copy.Chown, copy.Sources[0], copy.Destination));
        Assert.Equal("echo $D", ((RunInstruction)steps[8].Instruction).Command.Arguments[0]);
        Assert.Equal("echo $D", ((CmdInstruction)steps[9].Instruction).Command.Arguments[0]);
        Assert.Equal("SIGapp", ((StopsignalInstruction)steps[10].Instruction).Signal);
        Assert.Equal("/srv/data", steps[^1].After.WorkingDir);
    }

    [Fact]
    public void CreatedByAsTheClassicBuilder()
    {
        var plan = Plan("""
            FROM scratch
            ENV a=b c=d
            LABEL k=v
            ARG x=1 y
            WORKDIR /app
            RUN make all
            RUN ["echo", "hi"]
            CMD ["run"]
            ENTRYPOINT /entry
            EXPOSE 80/udp 8080
            USER nobody
            VOLUME /a /b
            HEALTHCHECK --interval=30s --retries=3 CMD curl -f localhost
            STOPSIGNAL SIGINT
            ONBUILD RUN touch /x
            SHELL ["/bin/bash", "-c"]
            RUN echo bash
            """);
        var createdBy = Run(plan).Select(s => s.CreatedBy).ToList();
        Assert.Equal<string?>(
        [
            "/bin/sh -c #(nop)  ENV a=b c=d",
            "/bin/sh -c #(nop)  LABEL k=v",
            "/bin/sh -c #(nop)  ARG x=1 y",
            "/bin/sh -c #(nop) WORKDIR /app",
            "|1 x=1 /bin/sh -c make all",
            "|1 x=1 echo hi",
            "/bin/sh -c #(nop)  CMD [\"run\"]",
            "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\" \"/entry\"]",
            "/bin/sh -c #(nop)  EXPOSE 80/udp 8080",
            "/bin/sh -c #(nop)  USER nobody",
            "/bin/sh -c #(nop)  VOLUME [/a /b]",
            "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f localhost\"] \"30s\" \"0s\" \"0s\" '\\x03'}",
            "/bin/sh -c #(nop)  STOPSIGNAL SIGINT",
            "/bin/sh -c #(nop)  ONBUILD RUN touch /x",
            "/bin/bash -c #(nop)  SHELL [/bin/bash -c]",
            "|1 x=1 /bin/bash -c echo bash",
        ], createdBy);
    }

    [Fact]
    public void CopyCreatedByKeepsDockersMissingSpace()
    {
        var plan = Plan("FROM scratch\nCOPY --chown=1:1 a /dst\nADD b /d2");
        var steps = Run(plan);
        Assert.Null(steps[0].CreatedBy);
        Assert.Equal("/bin/sh -c #(nop) COPY --chown=1:1file:abc in /dst ", steps[0].After.CopyCreatedBy(steps[0].Instruction, "file:abc"));
        Assert.Equal("/bin/sh -c #(nop) ADD dir:def in /d2 ", steps[1].After.CopyCreatedBy(steps[1].Instruction, "dir:def"));
    }

    [Fact]
    public void PredefinedProxyArgsReachRunButNotTheCacheKey()
    {
        var plan = Plan("FROM scratch\nRUN wget x", args: new() { ["HTTP_PROXY"] = "http://p:3128" });
        var step = Run(plan).Single();
        Assert.Equal<string>(["HTTP_PROXY=http://p:3128"], step.After.BuildArgEnv);
        Assert.Equal("|0 /bin/sh -c wget x", step.CreatedBy);
        Assert.Null(plan.UnusedBuildArgsWarning);
    }

    [Fact]
    public void UnusedBuildArgsAreReported()
    {
        var plan = Plan("ARG USED\nFROM scratch\nARG ALSO", args: new() { ["zeta"] = "1", ["USED"] = "x", ["ALSO"] = "y", ["alpha"] = "2" });
        Assert.Equal("[Warning] One or more build-args [alpha zeta] were not consumed", plan.UnusedBuildArgsWarning);
    }

    [Fact]
    public void BaseImageEnvAndWorkdirCarryOver()
    {
        var image = new BaseImageConfig(["PATH=/opt/bin", "HOME=/root"], "/work", ["/bin/ash", "-c"]);
        var steps = Run(Plan("FROM alpine\nWORKDIR src\nENV P=$PATH:$HOME\nRUN ls"), image);
        Assert.Equal("/work/src", steps[0].After.WorkingDir);
        Assert.Equal("P=/opt/bin:/root", ((EnvInstruction)steps[1].Instruction).Variables[0].ToString());
        Assert.Equal<string>(["/bin/ash", "-c", "ls"], steps[2].After.Invocation((RunInstruction)steps[2].Instruction).Arguments);
    }

    [Fact]
    public void PlatformAndStageNamesResolve()
    {
        var plan = Plan("ARG P=linux/arm64\nFROM --platform=$P alpine AS a\nFROM A\nRUN x");
        Assert.Equal("linux/arm64", plan.Stages[0].Platform);
        Assert.Equal(new PreviousStage(0, "a"), plan.Target.Base);
    }

    [Fact]
    public void ForwardReferenceIsAnImage()
    {
        var plan = Plan("FROM later AS first\nFROM alpine AS later\nFROM first");
        Assert.Equal([0, 2], plan.Stages.Select(s => s.Index));
        Assert.Equal(new ImageSource("later"), plan.Stages[0].Base);
        Assert.Equal(new PreviousStage(0, "first"), plan.Target.Base);
    }
}
