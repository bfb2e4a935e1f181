using Berth.Build.Dockerfile;
using Berth.Core.Errors;

namespace Berth.Build.Tests;

/// <summary>Malformed Dockerfiles: Docker 20.10's message, the line of the instruction, InvalidArgument.</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData("FROM a\nRUN x\nFOMR b", "dockerfile parse error line 3: unknown instruction: FOMR")]
    [InlineData("FROM", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a b", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x", "dockerfile parse error line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM a\n\n\n\nCOPY --chownx=1 a b", "dockerfile parse error line 5: Unknown flag: chownx")]
    [InlineData("FROM a\nCOPY --from a b", "dockerfile parse error line 2: Missing a value on flag: from")]
    [InlineData("FROM a\nCOPY --link=maybe a b", "dockerfile parse error line 2: Expecting boolean value for flag link, not: maybe")]
    [InlineData("FROM a\nCOPY --chown=1 --chown=2 a b", "dockerfile parse error line 2: Duplicate flag specified: chown")]
    [InlineData("FROM a\nRUN --frob=1 x", "dockerfile parse error line 2: Unknown flag: frob")]
    [InlineData("FROM a\nRUN --network=bridge x", "dockerfile parse error line 2: invalid network mode \"bridge\"")]
    [InlineData("FROM a\nCMD --x=1 foo", "dockerfile parse error line 2: Unknown flag: x")]
    [InlineData("FROM a\nCOPY onlyone", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nADD", "dockerfile parse error line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a\nCOPY a <<EOF\nx\nEOF", "dockerfile parse error line 2: COPY cannot accept a heredoc as a destination")]
    [InlineData("FROM a\nENV", "dockerfile parse error line 2: ENV requires at least one argument")]
    // The parser's own errors (BuildKit parser.Parse, before instructions): for the file, no line (Docker 20.10).
    [InlineData("FROM a\nENV a", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("FROM a\nENV a=b c", "failed to parse Dockerfile: Syntax error - can't find = in \"c\". Must be of the form: name=value")]
    [InlineData("FROM a\nLABEL a", "failed to parse Dockerfile: LABEL must have two arguments")]
    [InlineData("FROM a\nONBUILD ENV a", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("FROM a\nENV =b", "dockerfile parse error line 2: ENV names can not be blank")]
    [InlineData("FROM a\nLABEL", "dockerfile parse error line 2: LABEL requires at least one argument")]
    [InlineData("FROM a\nARG", "dockerfile parse error line 2: ARG requires at least one argument")]
    [InlineData("FROM a\nARG =x", "dockerfile parse error line 2: ARG names can not be blank")]
    [InlineData("FROM a\nWORKDIR", "dockerfile parse error line 2: WORKDIR requires exactly one argument")]
    [InlineData("FROM a\nUSER", "dockerfile parse error line 2: USER requires exactly one argument")]
    [InlineData("FROM a\nSTOPSIGNAL", "dockerfile parse error line 2: STOPSIGNAL requires exactly one argument")]
    [InlineData("FROM a\nEXPOSE", "dockerfile parse error line 2: EXPOSE requires at least one argument")]
    [InlineData("FROM a\nVOLUME", "dockerfile parse error line 2: VOLUME requires at least one argument")]
    [InlineData("FROM a\nVOLUME [\"/a\", \" \"]", "dockerfile parse error line 2: VOLUME specified can not be an empty string")]
    [InlineData("FROM a\nSHELL /bin/bash -c", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM a\nSHELL []", "dockerfile parse error line 2: SHELL requires at least one argument")]
    [InlineData("FROM a\nCMD [\"a\", 1]", "dockerfile parse error line 2: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("FROM a\nHEALTHCHECK", "dockerfile parse error line 2: HEALTHCHECK requires at least one argument")]
    [InlineData("FROM a\nHEALTHCHECK NONE x", "dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments")]
    [InlineData("FROM a\nHEALTHCHECK RUN x", "dockerfile parse error line 2: Unknown type \"RUN\" in HEALTHCHECK (try CMD)")]
    [InlineData("FROM a\nHEALTHCHECK CMD", "dockerfile parse error line 2: Missing command after HEALTHCHECK CMD")]
    [InlineData("FROM a\nHEALTHCHECK --interval=0s CMD x", "dockerfile parse error line 2: Interval \"interval\" cannot be less than 1ms")]
    [InlineData("FROM a\nHEALTHCHECK --retries=0 CMD x", "dockerfile parse error line 2: --retries must be at least 1 (not 0)")]
    [InlineData("FROM a\nHEALTHCHECK --timeout=5 CMD x", "dockerfile parse error line 2: time: missing unit in duration \"5\"")]
    [InlineData("FROM a\nONBUILD", "dockerfile parse error line 2: ONBUILD requires at least one argument")]
    [InlineData("FROM a\nONBUILD ONBUILD RUN x", "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM a\nONBUILD FROM b", "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM a\nMAINTAINER", "dockerfile parse error line 2: MAINTAINER requires exactly one argument")]
    [InlineData("RUN x", "no build stage in current context")]
    [InlineData("ARG a\nENV b=c\nFROM x", "no build stage in current context")]
    [InlineData("FROM a\nRUN cat <<EOF\nno end", "dockerfile parse error line 2: unterminated heredoc")]
    [InlineData("", "the Dockerfile (Dockerfile) cannot be empty")]
    [InlineData("# only a comment\n\n", "failed to parse Dockerfile: file with no instructions")]
    public void ParseErrors(string text, string message)
    {
        var error = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text));
        Assert.Equal(message, error.Message);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData("FROM a\nRUN x", "b", "failed to reach build target b in Dockerfile")]
    [InlineData("ARG a=1", null, "No image was generated. Is your Dockerfile empty?")]
    public void PlanErrors(string text, string? target, string message) =>
        Assert.Equal(message, Assert.Throws<DockerfileException>(() => BuildPlan.Create(DockerfileParser.Parse(text), target)).Message);

    // Docker 20.10 finds these only when the build reaches the stage (after printing its steps so far), so the plan keeps
    // them for the run: the stages before, then the one that cannot start.
    [Theory]
    [InlineData("FROM a AS x\nFROM b AS x\nFROM c", 1, "x stage name already used", true)]
    [InlineData("ARG B\nFROM ${B}\nFROM c", 0, "base name (${B}) should not be blank", false)]
    [InlineData("FROM a\nFROM ${X:?unset}", 1, "failed to process \"${X:?unset}\": X: unset", false)]
    public void AStageThatCannotStartEndsThePlan(string text, int last, string reason, bool beforeStep)
    {
        var plan = BuildPlan.Create(DockerfileParser.Parse(text));
        Assert.Equal(last, plan.Stages[^1].Index);
        Assert.Equal(new InvalidSource(reason, beforeStep), plan.Stages[^1].Base);
        var parsed = DockerfileParser.Parse(text);
        Assert.Equal(parsed.GlobalArgs.Length + parsed.Stages.Length, plan.StepCount);
    }

    [Theory]
    [InlineData("FROM a\nCOPY --from=0 a b", "invalid from flag value 0: refers to current build stage")]
    [InlineData("FROM a\nCOPY --from=3 a b", "invalid from flag value 3: index out of bounds")]
    public void ACopyFromThatCannotBeFoundFailsWhenItRuns(string text, string reason)
    {
        var plan = BuildPlan.Create(DockerfileParser.Parse(text));
        Assert.Equal(new InvalidSource(reason), plan.Target.CopySourceOf((CopyInstruction)plan.Target.Instructions[0]));
    }

    [Theory]
    [InlineData("ENV a=${b:?missing}", "failed to process \"${b:?missing}\": b: missing")]
    [InlineData("WORKDIR $EMPTY", "cannot normalize nothing")]
    [InlineData("USER \"app", "failed to process \"\\\"app\": unexpected end of statement while looking for matching double-quote")]
    public void StepErrors(string line, string message)
    {
        var plan = BuildPlan.Create(DockerfileParser.Parse("FROM scratch\n" + line));
        var context = StageContext.Start(plan, BaseImageConfig.Scratch);
        Assert.Equal(message, Assert.Throws<DockerfileException>(() => context.Step(plan.Target.Instructions[0])).Message);
    }
}
