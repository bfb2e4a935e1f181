using Berth.Build.Dockerfile;
using Berth.Build.Engine;
using Berth.Core.Errors;
using Berth.Runtime.Build;

namespace Berth.Build.Tests;

/// <summary>
/// Heredocs as BuildKit's Dockerfile frontend runs them (dockerfile2llb dispatchRun / dispatchCopy): what a RUN
/// executes, what a COPY's body becomes, the history text and the cache keys that follow from them.
/// </summary>
public sealed class HeredocTests
{
    [Fact]
    public void AHeredocAloneIsTheShellsScript()
    {
        var (step, invocation) = RunStep("FROM scratch\nRUN <<EOF\necho one\necho $HOME\nEOF\n");
        Assert.Equal<string>(["/bin/sh", "-c", "echo one\necho $HOME\n"], invocation.Arguments);
        Assert.Null(invocation.Script);
        Assert.Equal("/bin/sh -c echo one\necho $HOME\n", step.CreatedBy);
    }

    [Fact]
    public void TheStagesShellRunsItAndTabsGoWithTheDash()
    {
        var (_, invocation) = RunStep("FROM scratch\nSHELL [\"/bin/bash\", \"-e\", \"-c\"]\nRUN <<-EOF\n\techo one\n\t\techo two\n\tEOF\n", index: 1);
        Assert.Equal<string>(["/bin/bash", "-e", "-c", "echo one\necho two\n"], invocation.Arguments);
    }

    [Fact]
    public void AQuotedDelimiterAloneChangesNothingTheShellExpandsAtRunTime()
    {
        // BuildKit ignores the quotes here ("we ignore the expand option"): sh -c sees the body as written either way.
        var (_, plain) = RunStep("FROM scratch\nRUN <<EOF\necho $HOME\nEOF\n");
        var (_, quoted) = RunStep("FROM scratch\nRUN <<'EOF'\necho $HOME\nEOF\n");
        Assert.Equal<string>(plain.Arguments, quoted.Arguments);
    }

    [Fact]
    public void AShebangBodyIsAScriptMountedUnderDevPipes()
    {
        var (step, invocation) = RunStep("FROM scratch\nWORKDIR /dest\nRUN <<-SCRIPT\n\t#!/bin/awk -f\n\tBEGIN { print \"hi\" > \"./out\" }\nSCRIPT\n", index: 1);
        Assert.Equal<string>(["/bin/sh", "-c", "/dev/pipes/SCRIPT"], invocation.Arguments);
        var script = Assert.IsType<Heredoc>(invocation.Script);
        Assert.Equal(("SCRIPT", "#!/bin/awk -f\nBEGIN { print \"hi\" > \"./out\" }\n"), (script.Name, script.Text));
        Assert.Equal("/bin/sh -c /dev/pipes/SCRIPT", step.CreatedBy);
    }

    [Fact]
    public void AnyLongerCommandGetsItsBodiesBackAndTheShellHandlesThem()
    {
        var (step, invocation) = RunStep("FROM scratch\nRUN cat <<'EOF' > /f && python3 <<-PY\n$HOME stays\nEOF\n\tprint(1)\nPY\n");
        Assert.Equal<string>(["/bin/sh", "-c", "cat <<'EOF' > /f && python3 <<-PY\n$HOME stays\nEOF\n\tprint(1)\nPY"], invocation.Arguments);
        Assert.Null(invocation.Script);
        Assert.Equal("/bin/sh -c cat <<'EOF' > /f && python3 <<-PY\n$HOME stays\nEOF\n\tprint(1)\nPY", step.CreatedBy);
    }

    [Fact]
    public void ContinuationLinesBeforeTheBodiesAreJoined()
    {
        var (_, invocation) = RunStep("FROM scratch\nRUN cat <<A > /a; \\\n  cat <<B > /b\none\nA\ntwo\nB\n");
        Assert.Equal("cat <<A > /a;   cat <<B > /b\none\nA\ntwo\nB", invocation.Arguments[^1]);
    }

    [Fact]
    public void TheBuildArgsPrefixTheTextAsForAnyRun()
    {
        var (step, _) = RunStep("FROM scratch\nARG V=1\nRUN <<EOF\necho $V\nEOF\n", index: 1);
        Assert.Equal("|1 V=1 /bin/sh -c echo $V\n", step.CreatedBy);
    }

    [Fact]
    public void ExecFormHasNoHeredocs()
    {
        var (_, invocation) = RunStep("FROM scratch\nRUN [\"cat\", \"<<EOF\"]\n");
        Assert.Equal<string>(["cat", "<<EOF"], invocation.Arguments);
    }

    [Fact]
    public void AnOnbuildHeredocTriggerParsesBackToTheSameRun()
    {
        var onbuild = (OnbuildInstruction)Only("FROM scratch\nONBUILD RUN <<EOF\necho triggered\nEOF\n");
        var trigger = (RunInstruction)DockerfileParser.ParseTrigger(onbuild.Expression);
        Assert.Equal("echo triggered\n", RunInvocation.Of(trigger, StageContext.DefaultShell).Arguments[^1]);
    }

    [Fact]
    public void CopyBodiesExpandAsBuildKitDoesUnlessTheDelimiterIsQuoted()
    {
        const string Body = "$FOO ${BAZ} '$FOO' \"q\" \\$FOO \\\\ [$UNSET] ${UNSET:-dflt}\n";
        var steps = Steps($"FROM scratch\nARG FOO=bar\nENV BAZ=qux\nCOPY <<EOF /expanded\n{Body}EOF\nCOPY <<\"EOF\" /literal\n{Body}EOF\nADD <<'EOF' /added\n{Body}EOF\n");
        var expanded = Assert.Single(((CopyInstruction)steps[2].Instruction).Contents);
        Assert.Equal("bar qux 'bar' \"q\" $FOO \\ [] dflt\n", expanded.Text);
        Assert.Equal(Body, Assert.Single(((CopyInstruction)steps[3].Instruction).Contents).Text);
        Assert.Equal(Body, Assert.Single(((AddInstruction)steps[4].Instruction).Contents).Text);
    }

    [Fact]
    public void CopyBodiesLoseTabsFirstThenExpandOnce()
    {
        var steps = Steps("FROM scratch\nENV T=\"\tx\"\nCOPY <<-EOF <<EOF2 /dir/\n\t\t$T\n\tkept\nEOF\n\tkept too\nEOF2\n");
        var copy = (CopyInstruction)steps[1].Instruction;
        Assert.Equal(("EOF", "\tx\nkept\n"), (copy.Contents[0].Name, copy.Contents[0].Text));
        Assert.Equal(("EOF2", "\tkept too\n"), (copy.Contents[1].Name, copy.Contents[1].Text));
        Assert.Empty(copy.Sources);
        Assert.Equal("/dir/", copy.Destination);
    }

    [Fact]
    public void ABadSubstitutionInABodyIsTheStepsError()
    {
        var plan = BuildPlan.Create(DockerfileParser.Parse("FROM scratch\nCOPY <<EOF /f\n${NEEDED:?set NEEDED}\nEOF\n"));
        var error = Assert.Throws<DockerfileException>(() => PlanTests.Run(plan));
        // Found as the step runs, so Docker's plain text (no "dockerfile parse error line N:"), as for any step's substitution.
        Assert.Equal("failed to process \"${NEEDED:?set NEEDED}\\n\": NEEDED: set NEEDED", error.Message);
    }

    [Fact]
    public void AChangedShebangScriptChangesTheKeyThoughNotTheText()
    {
        var (firstStep, first) = RunStep("FROM scratch\nRUN <<EOF\n#!/bin/sh\necho v1\nEOF\n");
        var (secondStep, second) = RunStep("FROM scratch\nRUN <<EOF\n#!/bin/sh\necho v2\nEOF\n");
        Assert.Equal(firstStep.CreatedBy, secondStep.CreatedBy);
        Assert.NotEqual(Key(firstStep, first), Key(secondStep, second));
        Assert.Equal(Key(firstStep, first), Key(firstStep, RunStep("FROM scratch\nRUN <<EOF\n#!/bin/sh\necho v1\nEOF\n").Invocation));

        // Without a shebang the body is the text, so a changed body is a changed key already.
        var (plainStep, plain) = RunStep("FROM scratch\nRUN <<EOF\necho v1\nEOF\n");
        var (changedStep, changed) = RunStep("FROM scratch\nRUN <<EOF\necho v2\nEOF\n");
        Assert.NotEqual(Key(plainStep, plain), Key(changedStep, changed));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("")]
    public void AHeredocNameThatIsNoFileNameIsRefused(string name)
    {
        var error = Assert.Throws<BerthException>(() => new BuildInlineFile(name, "x"));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    private static string Key(StageStep step, RunInvocation invocation) =>
        BuildCache.KeyOf("sha256:parent", step.CreatedBy!, BuildRun.ScriptFlag(invocation));

    private static (StageStep Step, RunInvocation Invocation) RunStep(string text, int index = 0)
    {
        var step = Steps(text)[index];
        var run = Assert.IsType<RunInstruction>(step.Instruction);
        return (step, step.After.Invocation(run));
    }

    private static List<StageStep> Steps(string text) => PlanTests.Run(BuildPlan.Create(DockerfileParser.Parse(text)));

    private static Instruction Only(string text) => Assert.Single(DockerfileParser.Parse(text).Stages[0].Instructions);
}
