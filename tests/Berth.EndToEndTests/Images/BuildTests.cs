using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary><c>docker build</c> (the CLI's legacy builder) against berthd: steps, cache, failures, parse errors.</summary>
public sealed partial class BuildTests : DaemonTest
{
    private const string Dockerfile = """
        ARG BASE=bb:latest
        FROM ${BASE} AS builder
        RUN echo built-in-stage-one > /artifact
        FROM bb:latest
        ARG GREETING=hello
        ENV GREETING=$GREETING APP_HOME=/app
        WORKDIR /app
        COPY . .
        RUN echo "ran as $(id -u)" > /app/run.txt && cat /app/message.txt
        COPY --from=0 /artifact /app/artifact
        USER 1000:1000
        EXPOSE 8080/tcp
        LABEL org.example.name="app" version=1
        HEALTHCHECK --interval=5s --timeout=3s CMD true
        ENTRYPOINT ["/bin/sh", "-c"]
        CMD ["echo $GREETING; cat /app/message.txt /app/run.txt /app/artifact; ls /app"]
        """;

    // 1 global ARG + (FROM + RUN) + (FROM + 12 instructions).
    private const int TotalSteps = 16;

    [RootFact]
    public void ABuildRunsInspectsAndIsCachedStepByStep()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string context = Context("app", Dockerfile, ("message.txt", "message v1\n"), ("secret.txt", "do not ship\n"), (".dockerignore", "secret.txt\n"));

        var first = daemon.DockerChecked("build", "-t", "app:1", "--build-arg", "GREETING=hi", context);
        string firstText = first.Output + first.Error;
        Assert.Contains($"Step 1/{TotalSteps} : ARG BASE=bb:latest", firstText, StringComparison.Ordinal);
        Assert.Contains($"Step 4/{TotalSteps} : FROM bb:latest", firstText, StringComparison.Ordinal);
        Assert.Contains("message v1", firstText, StringComparison.Ordinal);
        Assert.Matches(@"Successfully built [0-9a-f]{12}", firstText);
        Assert.Contains("Successfully tagged app:1", firstText, StringComparison.Ordinal);

        var run = daemon.DockerChecked("run", "--rm", "app:1").Output;
        Assert.Equal(["hi", "message v1", "ran as 0", "built-in-stage-one"], run.Split('\n')[..4]);
        var listed = run.Split('\n')[4..].Where(l => l.Length > 0).ToList();
        Assert.Equal(["Dockerfile", "artifact", "message.txt", "run.txt"], listed);

        string config = daemon.DockerChecked("inspect", "-f",
            "{{json .Config.Env}}|{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{.Config.WorkingDir}}|{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Labels}}|{{json .Config.Healthcheck}}",
            "app:1").Output.Trim();
        var parts = config.Split('|');
        Assert.Equal("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"GREETING=hi\",\"APP_HOME=/app\"]", parts[0]);
        Assert.Equal("[\"echo $GREETING; cat /app/message.txt /app/run.txt /app/artifact; ls /app\"]", parts[1]);
        Assert.Equal(["[\"/bin/sh\",\"-c\"]", "/app", "1000:1000", "{\"8080/tcp\":{}}", "{\"org.example.name\":\"app\",\"version\":\"1\"}"], parts[2..7]);
        Assert.Contains("\"Test\":[\"CMD-SHELL\",\"true\"]", parts[7], StringComparison.Ordinal);
        Assert.Contains("\"Interval\":5000000000", parts[7], StringComparison.Ordinal);

        string history = daemon.DockerChecked("history", "--no-trunc", "--format", "{{.CreatedBy}}", "app:1").Output;
        Assert.Contains("/bin/sh -c #(nop) WORKDIR /app", history, StringComparison.Ordinal);
        Assert.Matches(@"/bin/sh -c #\(nop\) COPY dir:[0-9a-f]{64} in \. ", history);
        // ENV GREETING hides the build arg of that name, so the RUN's text carries no "|1 GREETING=hi" (moby FilterAllowed).
        Assert.Contains("\n/bin/sh -c echo \"ran as $(id -u)\" > /app/run.txt && cat /app/message.txt", history, StringComparison.Ordinal);
        Assert.Contains("/bin/sh -c #(nop)  USER 1000:1000", history, StringComparison.Ordinal);

        // A rebuild with nothing changed does no work: every step after a FROM or global ARG comes from the cache.
        var clock = Stopwatch.StartNew();
        var again = daemon.DockerChecked("build", "-t", "app:1", "--build-arg", "GREETING=hi", context);
        clock.Stop();
        string againText = again.Output + again.Error;
        Assert.Equal(TotalSteps - 3, BuildContexts.CachedSteps(againText));
        Assert.DoesNotContain("Running in", againText, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"a cached rebuild took {clock.Elapsed}");
        Assert.Equal(BuildContexts.BuiltId(firstText), BuildContexts.BuiltId(againText));

        // One copied file changed: the steps before `COPY . .` are cached (stage one's RUN, ARG, ENV, WORKDIR), the rest run.
        File.WriteAllText(Path.Combine(context, "message.txt"), "message v2\n");
        var changed = daemon.DockerChecked("build", "-t", "app:1", "--build-arg", "GREETING=hi", context);
        string changedText = changed.Output + changed.Error;
        Assert.Equal(4, BuildContexts.CachedSteps(changedText));
        Assert.Contains("message v2", changedText, StringComparison.Ordinal);
        Assert.Contains("message v2", daemon.DockerChecked("run", "--rm", "app:1").Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void AFailingRunSaysWhatFailedAndLeavesNoContainerOrSnapshot()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string context = Context("failing", "FROM bb:latest\nENV A=1\nRUN echo about-to-fail && exit 3\nRUN echo never\n");

        var result = daemon.Docker("build", "-t", "broken:1", context);
        string text = result.Output + result.Error;
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("about-to-fail", text, StringComparison.Ordinal);
        Assert.Contains("The command '/bin/sh -c echo about-to-fail && exit 3' returned a non-zero code: 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("never", text, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Empty(Directory.GetDirectories(Path.Combine(daemon.Root, "builds", "steps")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(daemon.Root, "builds", "contexts")));
        Assert.NotEqual(0, daemon.Docker("image", "inspect", "broken:1").ExitCode);
    }

    [RootFact]
    public void AParseErrorIsDockersText()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string context = Context("unparsable", "FROM bb:latest\nFOMR x\n");

        var result = daemon.Docker("build", context);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error response from daemon: dockerfile parse error line 2: unknown instruction: FOMR", result.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void BerthBuildSendsTheContextAndFlagsAndOnbuildTriggersRun()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string baseContext = Context("onbuild-base", "FROM bb:latest\nONBUILD RUN echo triggered > /triggered\nONBUILD COPY note.txt /note.txt\n");
        var baseBuild = daemon.BerthCli("build", "-t", "base:1", baseContext);
        Assert.True(baseBuild.Succeeded, baseBuild.ToString());
        Assert.Contains("Successfully tagged base:1", baseBuild.Output, StringComparison.Ordinal);

        string context = Context("child", "FROM base:1 AS first\nCOPY . /ctx/\nRUN cat /triggered /note.txt\nFROM bb:latest\nRUN echo second\n",
            ("note.txt", "from the child's context\n"), ("ignored.txt", "x"), (".dockerignore", "ignored.txt\n"));
        var child = daemon.BerthCli("build", "--target", "first", "--label", "built.by=berth", "-t", "child:1", context);
        Assert.True(child.Succeeded, child.ToString());
        Assert.Contains("# Executing 2 build triggers", child.Output, StringComparison.Ordinal);
        Assert.Contains("triggered\nfrom the child's context", child.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("echo second", child.Output, StringComparison.Ordinal);
        Assert.Equal("berth|null", daemon.DockerChecked("inspect", "-f", "{{index .Config.Labels \"built.by\"}}|{{json .Config.OnBuild}}", "child:1").Output.Trim());
        Assert.Equal("Dockerfile\nnote.txt\n", daemon.DockerChecked("run", "--rm", "child:1", "ls", "/ctx").Output);

        // -q prints only the image id; --no-cache runs the steps again.
        var quiet = daemon.BerthCli("build", "-q", "--no-cache", "--target", "first", context);
        Assert.True(quiet.Succeeded, quiet.ToString());
        Assert.Matches(@"^sha256:[0-9a-f]{64}\n$", quiet.Output);
    }

    [RootFact]
    public void AMissingBaseImageOrCopySourceIsSaidInTheStream()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        var noBase = daemon.Docker("build", Context("no-base", "FROM nosuch:1\nRUN true\n"));
        Assert.NotEqual(0, noBase.ExitCode);
        Assert.Contains("Step 1/2 : FROM nosuch:1", noBase.Output, StringComparison.Ordinal);
        Assert.Contains("No such image: nosuch:1", noBase.Error, StringComparison.Ordinal);

        var noSource = daemon.Docker("build", Context("no-source", "FROM bb:latest\nCOPY missing.txt /\n"));
        Assert.NotEqual(0, noSource.ExitCode);
        Assert.Contains("COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist", noSource.Error, StringComparison.Ordinal);

        // A URL: COPY never downloads (Docker's words); ADD would, and says why it does not here rather than looking in the context.
        var copyUrl = daemon.Docker("build", Context("copy-url", "FROM bb:latest\nCOPY http://10.77.0.20/file /\n"));
        Assert.NotEqual(0, copyUrl.ExitCode);
        Assert.Contains("source can't be a URL for COPY", copyUrl.Error, StringComparison.Ordinal);
        var addUrl = daemon.Docker("build", Context("add-url", "FROM bb:latest\nADD https://10.77.0.20/file.tar /opt/\n"));
        Assert.NotEqual(0, addUrl.ExitCode);
        Assert.Contains("ADD https://10.77.0.20/file.tar: downloading remote URLs is not supported by Berth's builder", addUrl.Error, StringComparison.Ordinal);
    }

    private string Context(string name, string dockerfile, params (string Name, string Content)[] files) =>
        BuildContexts.Write(TestRoot, name, dockerfile, files);
}
