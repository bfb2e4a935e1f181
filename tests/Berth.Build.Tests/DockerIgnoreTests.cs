using Berth.Core.Ignore;
using Berth.Core.Errors;
using CsCheck;

namespace Berth.Build.Tests;

/// <summary>.dockerignore with moby/patternmatcher's rules.</summary>
public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("**/*.md", "docs/a/README.md", true)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("docs", "docs/a/b.txt", true)]
    [InlineData("docs/", "docs/a", true)]
    [InlineData("/docs", "docs", true)]
    [InlineData("./docs//x/", "docs/x/y", true)]
    [InlineData("d?cs", "docs", true)]
    [InlineData("d?cs", "d/cs", false)]
    [InlineData("[a-c]*.txt", "b1.txt", true)]
    [InlineData("[^a-c]*.txt", "b1.txt", false)]
    [InlineData("temp*", "temporary/file", true)]
    [InlineData("*/temp*", "sub/temporary", true)]
    [InlineData("*/temp*", "temporary", false)]
    [InlineData("*/*/temp*", "a/b/temp.txt", true)]
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "src/node_modules", false)]
    [InlineData("**/node_modules", "src/node_modules/x.js", true)]
    [InlineData("build/**", "build/out/x", true)]
    [InlineData("build/**", "builder", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("*", ".", false)]
    [InlineData("foo(1)+", "foo(1)+", true)]
    public void SinglePattern(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void ExceptionsLastMatchWins()
    {
        var matcher = DockerIgnore.Parse("""
            # comment
            *.md
            !README*.md
            README-secret.md

              logs  
            !logs/keep.log
            """);
        Assert.True(matcher.IsExcluded("CHANGES.md"));
        Assert.False(matcher.IsExcluded("README.md"));
        Assert.True(matcher.IsExcluded("README-secret.md"));
        Assert.True(matcher.IsExcluded("logs/a.log"));
        Assert.False(matcher.IsExcluded("logs/keep.log"));
        Assert.False(matcher.CanSkipDirectory("logs"));
        Assert.Equal<string>(["*.md", "!README*.md", "README-secret.md", "logs", "!logs/keep.log"], matcher.Patterns);
    }

    [Fact]
    public void CommentsNeedTheHashFirst()
    {
        var matcher = DockerIgnore.Parse("#*.go\n \\#x\n");
        Assert.False(matcher.IsExcluded("main.go"));
        Assert.True(matcher.IsExcluded("#x"));
    }

    [Fact]
    public void DockerfileAndIgnoreFileAreStillSent()
    {
        var matcher = DockerIgnore.Parse("*\n").KeepingBuildFiles("Dockerfile");
        Assert.False(matcher.IsExcluded("Dockerfile"));
        Assert.False(matcher.IsExcluded(".dockerignore"));
        Assert.True(matcher.IsExcluded("main.go"));
        var untouched = DockerIgnore.Parse("*.go").KeepingBuildFiles("Dockerfile");
        Assert.False(untouched.HasExceptions);
        Assert.True(untouched.CanSkipDirectory("x.go"));
    }

    [Theory]
    [InlineData("!", ".dockerignore line 1: illegal exclusion pattern: \"!\"; fix or remove the pattern")]
    [InlineData("ok\n[abc", ".dockerignore line 2: syntax error in pattern: [abc; fix or remove the pattern")]
    [InlineData("[]a]", ".dockerignore line 1: syntax error in pattern: []a]; fix or remove the pattern")]
    [InlineData("![a-]", ".dockerignore line 1: syntax error in pattern: ![a-]; fix or remove the pattern")]
    [InlineData("a\\", ".dockerignore line 1: syntax error in pattern: a\\; fix or remove the pattern")]
    public void BadPatterns(string text, string message)
    {
        var error = Assert.Throws<BerthException>(() => DockerIgnore.Parse(text));
        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }

    private static readonly Gen<string> Segment = Gen.String[Gen.Char["abcx-_"], 1, 3];
    private static readonly Gen<string> RelativePath = Gen.Int[1, 4].SelectMany(n => Segment.Array[n]).Select(parts => string.Join('/', parts));

    [Fact]
    public void ADirectoryPatternExcludesEverythingBelowIt() =>
        Gen.Select(RelativePath, RelativePath).Sample((dir, below) =>
            DockerIgnore.Parse(dir).IsExcluded(dir + "/" + below));

    [Fact]
    public void AnExceptionAfterwardsReincludesExactlyWhatItMatches() =>
        Gen.Select(RelativePath, RelativePath).Sample((path, other) =>
        {
            var matcher = DockerIgnore.Parse("*\n!" + path);
            var below = other == path || other.StartsWith(path + "/", StringComparison.Ordinal);
            return !matcher.IsExcluded(path) && matcher.IsExcluded(other) != below;
        });

    [Fact]
    public void LiteralPatternsMatchThemselvesAfterCleaning() =>
        RelativePath.Sample(path => DockerIgnore.Parse("./" + path + "/").IsExcluded(path));
}
