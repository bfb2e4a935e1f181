using Berth.Build.Dockerfile;

namespace Berth.Build.Tests;

/// <summary>The Dockerfile reader: directives, comments, continuations, heredocs, forms, flags — as Docker reads them.</summary>
public sealed class ParserTests
{
    private static ParsedDockerfile Parse(string text) => DockerfileParser.Parse(text);

    private static Instruction Only(string text) => Assert.Single(Parse("FROM scratch\n" + text).Stages[0].Instructions);

    [Fact]
    public void StagesGlobalArgsAndLines()
    {
        var file = Parse("""
            # syntax=docker/dockerfile:1
            ARG BASE=alpine
            FROM $BASE AS Build
            RUN make

            FROM scratch
            COPY --from=build /out /out
            """);
        Assert.Equal("docker/dockerfile:1", file.Syntax);
        Assert.Equal("BASE", Assert.Single(Assert.Single(file.GlobalArgs).Arguments).Name);
        Assert.Equal(2, file.Stages.Length);
        Assert.Equal("build", file.Stages[0].Name);
        Assert.Equal(new SourceRange(3, 3), file.Stages[0].From.Lines);
        Assert.Equal(new SourceRange(7, 7), file.Stages[1].Instructions[0].Lines);
        Assert.Null(file.Stages[1].Name);
    }

    [Fact]
    public void EscapeDirectiveChangesContinuation()
    {
        var file = Parse("# escape=`\nFROM scratch\nRUN dir `\n  c:\\\n");
        Assert.Equal('`', file.EscapeToken);
        var run = Assert.IsType<RunInstruction>(file.Stages[0].Instructions[0]);
        Assert.Equal("dir   c:\\", run.Command.Arguments[0]);
        Assert.Equal(new SourceRange(3, 4), run.Lines);
    }

    [Theory]
    [InlineData("#escape=`\n# escape=\\\nFROM scratch", "only one escape parser directive can be used")]
    [InlineData("# escape=x\nFROM scratch", "invalid escape token 'x' does not match ` or \\")]
    public void BadDirectives(string text, string reason) =>
        Assert.Equal(reason, Assert.Throws<DockerfileException>(() => Parse(text)).Reason);

    [Fact]
    public void DirectiveAfterCommentIsAComment()
    {
        var file = Parse("# hello\n# escape=`\nFROM scratch\nRUN a \\\n b");
        Assert.Equal('\\', file.EscapeToken);
        Assert.Equal("a  b", ((RunInstruction)file.Stages[0].Instructions[0]).Command.Arguments[0]);
    }

    [Fact]
    public void UnknownDirectiveEndsDirectives()
    {
        var file = Parse("# foo=bar\n# escape=`\nFROM scratch");
        Assert.Equal('\\', file.EscapeToken);
    }

    [Fact]
    public void CommentsAndBlankLinesInsideContinuationsAreSkipped()
    {
        var run = (RunInstruction)Only("RUN apt-get update && \\\n# a comment\n    apt-get install x \\\n\n    && echo done");
        Assert.Equal("apt-get update &&     apt-get install x     && echo done", run.Command.Arguments[0]);
        Assert.Equal(new SourceRange(2, 6), run.Lines);
        Assert.Contains(Parse("FROM scratch\nRUN a \\\n\n b").Warnings, w => w.StartsWith("Empty continuation line", StringComparison.Ordinal));
    }

    [Fact]
    public void EscapedEscapeAtEndIsNotAContinuation()
    {
        var file = Parse("FROM scratch\nRUN echo \\\\\nRUN b");
        Assert.Equal(2, file.Stages[0].Instructions.Length);
    }

    [Fact]
    public void ContinuationAtEndOfFile() =>
        Assert.Equal("echo hi", ((RunInstruction)Only("RUN echo hi\\")).Command.Arguments[0]);

    [Fact]
    public void CrLfAndBomAndIndentation()
    {
        var file = Parse("\uFEFFFROM scratch\r\n   run  echo hi  \r\n");
        Assert.Equal("echo hi", ((RunInstruction)file.Stages[0].Instructions[0]).Command.Arguments[0]);
    }

    [Theory]
    [InlineData("CMD [\"a\", \"b c\"]", false, new[] { "a", "b c" })]
    [InlineData("CMD echo \"hi\"", true, new[] { "echo \"hi\"" })]
    [InlineData("CMD ['a']", true, new[] { "['a']" })]
    [InlineData("CMD [\"a\"", true, new[] { "[\"a\"" })]
    [InlineData("CMD [\"a\"] x", true, new[] { "[\"a\"] x" })]
    [InlineData("CMD []", false, new string[0])]
    [InlineData("ENTRYPOINT [\"/bin/x\",\"-v\"]", false, new[] { "/bin/x", "-v" })]
    [InlineData("RUN [\"echo\", \"$HOME\"]", false, new[] { "echo", "$HOME" })]
    public void ExecAndShellForms(string line, bool shellForm, string[] arguments)
    {
        var command = Only(line) switch
        {
            CmdInstruction c => c.Command,
            EntrypointInstruction e => e.Command,
            RunInstruction r => r.Command,
            var other => throw new InvalidOperationException(other.Keyword),
        };
        Assert.Equal(shellForm, command.IsShellForm);
        Assert.Equal(arguments, command.Arguments);
    }

    [Fact]
    public void KeywordsAreCaseInsensitive()
    {
        var file = Parse("from alpine as B\ncopy --from=x a b\nrun echo");
        Assert.Equal("b", file.Stages[0].Name);
        Assert.IsType<RunInstruction>(file.Stages[0].Instructions[1]);
    }

    [Fact]
    public void HeredocRun()
    {
        var run = (RunInstruction)Parse("FROM scratch\nRUN <<EOF\necho $HOME\necho two\nEOF\nRUN after").Stages[0].Instructions[0];
        Assert.Equal("<<EOF", run.Command.Arguments[0]);
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal(("EOF", "echo $HOME\necho two\n", true), (heredoc.Name, heredoc.Content, heredoc.Expand));
        Assert.Equal(new SourceRange(2, 5), run.Lines);
    }

    [Fact]
    public void SeveralHeredocsQuotedAndChomped()
    {
        var file = Parse("FROM scratch\nRUN <<-'ONE' 3<<\"TWO\" cat\n\tfirst\n\tONE\nsecond\nTWO\n");
        var run = (RunInstruction)file.Stages[0].Instructions[0];
        Assert.Equal(2, run.Heredocs.Length);
        Assert.Equal(("ONE", false, true, "first\n"), (run.Heredocs[0].Name, run.Heredocs[0].Expand, run.Heredocs[0].Chomp, run.Heredocs[0].Text));
        Assert.Equal(("TWO", false, 3), (run.Heredocs[1].Name, run.Heredocs[1].Expand, run.Heredocs[1].FileDescriptor));
    }

    [Fact]
    public void HeredocCopySource()
    {
        var copy = (CopyInstruction)Only("COPY <<EOF /etc/motd\nhello\nEOF");
        Assert.Empty(copy.Sources);
        Assert.Equal("hello\n", Assert.Single(copy.Contents).Text);
        Assert.Equal("/etc/motd", copy.Destination);
    }

    [Fact]
    public void HeredocNotInJsonOrOtherInstructions()
    {
        var file = Parse("FROM scratch\nRUN [\"cat\", \"<<EOF\"]\nLABEL a=<<EOF");
        Assert.Equal(2, file.Stages[0].Instructions.Length);
        Assert.Equal("unknown instruction: EOF", Assert.Throws<DockerfileException>(() => Parse("FROM scratch\nLABEL a=<<EOF\nEOF")).Reason);
        Assert.Throws<DockerfileException>(() => Parse("FROM scratch\nRUN cat <<EOF\nnever ends"));
    }

    [Fact]
    public void FlagsAreParsed()
    {
        var copy = (CopyInstruction)Only("COPY --from=builder --chown=1:2 --chmod=0755 --link \"--x\" /b");
        Assert.Equal(("builder", "1:2", "0755", true), (copy.From, copy.Chown, copy.Chmod, copy.Link));
        Assert.Equal<string>(["\"--x\""], copy.Sources);
        var run = (RunInstruction)Only("RUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t --network=none make");
        Assert.Equal(2, run.Mounts.Length);
        Assert.Equal("none", run.Network);
        var from = Parse("FROM --platform=linux/arm64 alpine").Stages[0].From;
        Assert.Equal("linux/arm64", from.Platform);
        var add = (AddInstruction)Only("ADD --keep-git-dir=false --checksum=sha256:ab https://x/y /z");
        Assert.Equal((false, "sha256:ab"), (add.KeepGitDir, add.Checksum));
    }

    [Fact]
    public void DoubleDashEndsFlags()
    {
        var copy = (CopyInstruction)Only("COPY --chown=1 -- --weird /dst");
        Assert.Equal<string>(["--weird"], copy.Sources);
    }

    [Fact]
    public void OnbuildKeepsItsTrigger()
    {
        var onbuild = (OnbuildInstruction)Only("ONBUILD  run echo hi");
        Assert.Equal("run echo hi", onbuild.Expression);
        Assert.IsType<RunInstruction>(onbuild.Trigger);
        Assert.IsType<CopyInstruction>(DockerfileParser.ParseTrigger("COPY . /app"));
    }

    [Theory]
    [InlineData("my-stage_1.x")]
    [InlineData("MiXed")]
    public void StageNames(string name) =>
        Assert.Equal(name.ToLowerInvariant(), Parse($"FROM alpine AS {name}").Stages[0].Name);

    [Fact]
    public void MaintainerIsAccepted() =>
        Assert.Equal("Jane <j@x>", ((MaintainerInstruction)Only("MAINTAINER Jane <j@x>")).Maintainer);
}
