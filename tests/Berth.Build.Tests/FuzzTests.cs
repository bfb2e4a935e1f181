using Berth.Build.Dockerfile;
using Berth.Core.Ignore;
using Berth.Core.Errors;
using CsCheck;

namespace Berth.Build.Tests;

/// <summary>Garbage in: only InvalidArgument errors out, and quickly.</summary>
public sealed class FuzzTests
{
    // Mostly Dockerfile-ish characters, so the generator reaches deep into the parser rather than failing at once.
    private static readonly string[] Pieces =
        ["FROM ", "RUN ", "COPY ", "ADD ", "ENV ", "ARG ", "LABEL ", "ONBUILD ", "HEALTHCHECK ", "SHELL ",
            "WORKDIR ", "EXPOSE ", "VOLUME ", "USER ", "CMD ", "ENTRYPOINT ", "STOPSIGNAL ", " AS ", "--from=", "--chown=",
            "--mount=", "--interval=", "<<EOF", "<<-'X'", "EOF", "\n", "\\\n", "`", "# escape=`\n", "#", "[", "]", "\"",
            "'", ",", "$", "${", "}", ":-", ":?", "=", " ", "\t", "\r\n", "scratch", "a", "0", "\uFEFF",
        ];

    private static readonly Gen<string> Token = Gen.OneOf(
        Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]),
        Gen.String[Gen.Char, 0, 4]);

    private static readonly Gen<string> Text = Token.Array[0, 40].Select(string.Concat);

    [Fact]
    public void RandomDockerfilesFailOnlyWithInvalidArgument() =>
        Text.Sample(text =>
        {
            try
            {
                var parsed = DockerfileParser.Parse(text);
                var plan = BuildPlan.Create(parsed, null, new Dictionary<string, string?> { ["a"] = "1" });
                var context = StageContext.Start(plan, BaseImageConfig.Scratch);
                foreach (var instruction in plan.Target.Instructions)
                {
                    context = context.Step(instruction).After;
                }
            }
            catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
            {
            }
        }, iter: 3000);

    [Fact]
    public void RandomIgnorePatternsFailOnlyWithInvalidArgument() =>
        Gen.Select(Gen.String[Gen.Char["*?[]^-!\\/ab.\n#"], 0, 30], Gen.String[Gen.Char["ab/.*"], 0, 20]).Sample((patterns, path) =>
        {
            try
            {
                DockerIgnore.Parse(patterns).IsExcluded(path);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
            {
            }
        }, iter: 3000);

    [Fact]
    public void RandomWordsExpandOrFailCleanly() =>
        Gen.String[Gen.Char["${}:-+?#%/'\"\\ abAB_1"], 0, 30].Sample(word =>
        {
            try
            {
                new VariableExpander().Expand(word, new Dictionary<string, string> { ["A"] = "a b", ["B"] = "" });
            }
            catch (DockerfileException)
            {
            }
        }, iter: 3000);
}
