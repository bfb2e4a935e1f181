using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>
/// Heredocs in RUN and COPY (BuildKit's Dockerfile 1.4 syntax) built by berthd through the real docker CLI and
/// <c>berth build</c>: the scripts' and files' effects in a container of the image, the history text, the cache.
/// </summary>
public sealed class HeredocBuildTests : DaemonTest
{
    // MESSAGE is the awk script's message: the test changes it to show a changed script body misses the cache.
    private const string Dockerfile = """
        FROM bb:latest
        ARG NAME=world
        ENV GREETING=hello
        WORKDIR /work
        RUN <<EOF
        echo "plain script as $(id -u) in $(pwd)"
        echo "$GREETING $NAME" > /work/plain.txt
        EOF
        RUN <<EOF
        #!/bin/awk -f
        BEGIN { print "MESSAGE" > "/work/awk.txt"; print "awk ran" }
        EOF
        RUN cat <<'EOF' > /work/literal.txt && cat <<-EXPANDED > /work/expanded.txt
        $GREETING stays
        EOF
        	$GREETING is expanded by the shell
        	EXPANDED
        COPY <<EOF /etc/app.conf
        greeting=${GREETING} name=$NAME
        EOF
        COPY --chmod=0755 <<EOF <<"RAW" /opt/bin/
        #!/bin/sh
        echo "tool says $GREETING"
        EOF
        echo "$GREETING"
        RAW
        COPY --chown=1000:1000 <<EOF owned.txt
        owned
        EOF
        CMD ["sh", "-c", "cat /work/plain.txt /work/awk.txt /work/literal.txt /work/expanded.txt /etc/app.conf; /opt/bin/EOF; cat /opt/bin/RAW; stat -c '%n %u:%g %a' /etc/app.conf /opt/bin/EOF /opt/bin/RAW /work/owned.txt"]
        """;

    private const int TotalSteps = 11;

    // Step 6 is the awk script: a rebuild after its body changed takes steps 2-5 from the cache.
    private const int StepsBeforeTheScript = 4;

    [RootFact]
    public void HeredocScriptsAndFilesBuildRunAndAreCachedByTheirBodies()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string context = Context("heredocs", Dockerfile.Replace("MESSAGE", "from awk", StringComparison.Ordinal));

        var first = daemon.DockerChecked("build", "-t", "heredocs:1", "--build-arg", "NAME=berth", context);
        string firstText = first.Output + first.Error;
        Assert.Contains($"Step 5/{TotalSteps} : RUN <<EOF", firstText, StringComparison.Ordinal);
        Assert.Contains("plain script as 0 in /work\n", firstText, StringComparison.Ordinal);
        Assert.Contains("awk ran\n", firstText, StringComparison.Ordinal);

        Assert.Equal(
            "hello berth\nfrom awk\n$GREETING stays\nhello is expanded by the shell\ngreeting=hello name=berth\ntool says hello\necho \"$GREETING\"\n" +
            "/etc/app.conf 0:0 644\n/opt/bin/EOF 0:0 755\n/opt/bin/RAW 0:0 755\n/work/owned.txt 1000:1000 644\n",
            daemon.DockerChecked("run", "--rm", "heredocs:1").Output);

        // History: the argv BuildKit runs, in the classic builder's shape; the build arg prefixes RUN's text.
        string history = daemon.DockerChecked("history", "--no-trunc", "--format", "{{.CreatedBy}}", "heredocs:1").Output;
        Assert.Contains("|1 NAME=berth /bin/sh -c /dev/pipes/EOF\n", history, StringComparison.Ordinal);
        Assert.Contains("|1 NAME=berth /bin/sh -c echo \"plain script as $(id -u) in $(pwd)\"\necho \"$GREETING $NAME\" > /work/plain.txt\n", history, StringComparison.Ordinal);
        Assert.Contains("|1 NAME=berth /bin/sh -c cat <<'EOF' > /work/literal.txt && cat <<-EXPANDED > /work/expanded.txt\n$GREETING stays\nEOF\n", history, StringComparison.Ordinal);
        Assert.Matches(@"/bin/sh -c #\(nop\) COPY multi:[0-9a-f]{64} in /opt/bin/ ", history);
        Assert.Matches(@"/bin/sh -c #\(nop\) COPY --chown=1000:1000file:[0-9a-f]{64} in owned.txt ", history);

        // Unchanged: every step after FROM from the cache, the same image.
        var again = daemon.DockerChecked("build", "-t", "heredocs:1", "--build-arg", "NAME=berth", context);
        string againText = again.Output + again.Error;
        Assert.Equal(TotalSteps - 1, BuildContexts.CachedSteps(againText));
        Assert.DoesNotContain("Running in", againText, StringComparison.Ordinal);
        Assert.Equal(BuildContexts.BuiltId(firstText), BuildContexts.BuiltId(againText));

        // The shebang script's body changed, its text did not: a miss from that step on, the new script's effect seen.
        BuildContexts.WriteDockerfile(context, Dockerfile.Replace("MESSAGE", "from awk v2", StringComparison.Ordinal));
        var changed = daemon.DockerChecked("build", "-t", "heredocs:1", "--build-arg", "NAME=berth", context);
        string changedText = changed.Output + changed.Error;
        Assert.Equal(StepsBeforeTheScript, BuildContexts.CachedSteps(changedText));
        Assert.Contains("awk ran\n", changedText, StringComparison.Ordinal);
        Assert.Contains("\nfrom awk v2\n", daemon.DockerChecked("run", "--rm", "heredocs:1").Output, StringComparison.Ordinal);

        // A changed build arg changes the expanded COPY body (and RUN's text): the COPY runs again and shows it.
        var otherName = daemon.DockerChecked("build", "-t", "heredocs:2", "--build-arg", "NAME=other", context);
        // ARG, ENV and WORKDIR do not show NAME's value; every RUN's text and the COPY's body do.
        Assert.Equal(3, BuildContexts.CachedSteps(otherName.Output));
        Assert.Contains("greeting=hello name=other\n", daemon.DockerChecked("run", "--rm", "heredocs:2").Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void BerthBuildCachesACopyBodyAndReportsAFailingScriptWithItsOutput()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        const string Copying = "FROM bb:latest\nCOPY <<EOF /motd\nBODY\nEOF\nRUN cat /motd\n";
        string context = Context("copy-body", Copying.Replace("BODY", "first body", StringComparison.Ordinal));

        var first = daemon.BerthCli("build", "-t", "motd:1", context);
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("first body\n", first.Output, StringComparison.Ordinal);
        var again = daemon.BerthCli("build", "-t", "motd:1", context);
        Assert.True(again.Succeeded, again.ToString());
        Assert.Equal(2, BuildContexts.CachedSteps(again.Output));

        BuildContexts.WriteDockerfile(context, Copying.Replace("BODY", "second body", StringComparison.Ordinal));
        var changed = daemon.BerthCli("build", "-t", "motd:1", context);
        Assert.True(changed.Succeeded, changed.ToString());
        Assert.Equal(0, BuildContexts.CachedSteps(changed.Output));
        Assert.Equal("second body\n", daemon.DockerChecked("run", "--rm", "motd:1", "cat", "/motd").Output);

        // A failing heredoc script fails the step like any RUN: its output, the command and its exit code.
        string failing = Context("failing", "FROM bb:latest\nRUN <<EOF\necho about-to-fail\nexit 4\nEOF\nRUN echo never\n");
        var failed = daemon.BerthCli("build", "-t", "failing:1", failing);
        string failedText = failed.Output + failed.Error;
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("about-to-fail\n", failedText, StringComparison.Ordinal);
        Assert.Contains("The command '/bin/sh -c echo about-to-fail\nexit 4\n' returned a non-zero code: 4", failedText, StringComparison.Ordinal);
        Assert.DoesNotContain("never", failedText, StringComparison.Ordinal);

        // The same through the docker CLI, for a shebang script.
        string shebang = Context("failing-shebang", "FROM bb:latest\nRUN <<EOF\n#!/bin/sh\necho script-output\nexit 5\nEOF\n");
        var viaDocker = daemon.Docker("build", shebang);
        Assert.Equal(5, viaDocker.ExitCode);
        Assert.Contains("script-output\n", viaDocker.Output, StringComparison.Ordinal);
        Assert.Contains("The command '/bin/sh -c /dev/pipes/EOF' returned a non-zero code: 5", viaDocker.Error, StringComparison.Ordinal);

        // RUN --mount stays BuildKit's.
        var mount = daemon.Docker("build", Context("mount", "FROM bb:latest\nRUN --mount=type=cache,target=/cache true\n"));
        Assert.NotEqual(0, mount.ExitCode);
        Assert.Contains("RUN --mount needs BuildKit", mount.Error, StringComparison.Ordinal);

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Empty(Directory.GetDirectories(Path.Combine(daemon.Root, "builds", "steps")));
    }

    private string Context(string name, string dockerfile) => BuildContexts.Write(TestRoot, name, dockerfile);
}
