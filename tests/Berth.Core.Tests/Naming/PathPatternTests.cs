using Berth.Core.Errors;
using Berth.Core.Naming;

namespace Berth.Core.Tests.Naming;

public sealed class PathPatternTests
{
    [Theory]
    [InlineData("*.txt", "a.txt", true)]
    [InlineData("*.txt", "a.txt.gz", false)]
    [InlineData("file?.c", "file1.c", true)]
    [InlineData("file?.c", "file12.c", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[]]", "]", true)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("a.b", "axb", false)]
    public void PatternsMatchAsGoPathMatch(string pattern, string name, bool matches) =>
        Assert.Equal(matches, PathPattern.Compile(pattern).IsMatch(name));

    [Fact]
    public void AnUnterminatedClassIsRefused() =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => PathPattern.Compile("[ab")).Kind);

    [Theory]
    [InlineData("*.txt", true)]
    [InlineData("plain.txt", false)]
    [InlineData("a\\b", true)]
    public void PatternCharactersAreNoticed(string text, bool isPattern) => Assert.Equal(isPattern, PathPattern.IsPattern(text));
}
