using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

/// <summary>The small grammars: durations, shell words, the .env format.</summary>
public sealed class ValueTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("0", 0)]
    public void ParsesDurations(string text, long milliseconds)
    {
        Assert.True(ComposeDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("1d")]
    [InlineData("s")]
    public void RefusesDurations(string text) => Assert.False(ComposeDuration.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_000, "5s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(0, "0s")]
    public void FormatsDurationsAsGoDoes(long milliseconds, string expected) =>
        Assert.Equal(expected, ComposeDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("nginx -g 'daemon off;'", new[] { "nginx", "-g", "daemon off;" })]
    [InlineData("sh -c \"echo \\\"hi\\\" $HOME\"", new[] { "sh", "-c", "echo \"hi\" $HOME" })]
    [InlineData("  a\\ b   c  ", new[] { "a b", "c" })]
    [InlineData("''", new[] { "" })]
    public void SplitsShellWords(string text, string[] expected)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out var error), error);
        Assert.Equal(expected, words);
    }

    [Fact]
    public void RefusesAnUnclosedQuote()
    {
        Assert.False(ShellWords.TrySplit("echo 'oops", out _, out var error));
        Assert.Equal("a single quote (') is never closed", error);
    }

    [Fact]
    public void ReadsTheDotEnvFormat()
    {
        var problems = new ProblemList();
        var entries = DotEnvFile.Parse(
            "A=1\n# note\n\nexport B = two words \nC=\"multi\nline\"\nD=${A}-x\nE='${A}'\nINHERITED\n1BAD=x\n",
            ".env",
            name => name == "INHERITED" ? "from-shell" : null,
            problems);

        Assert.Equal(
            [("A", "1"), ("B", "two words"), ("C", "multi\nline"), ("D", "1-x"), ("E", "${A}"), ("INHERITED", "from-shell")],
            entries);
        Assert.Equal(1, problems.Count);
        var e = Assert.Throws<ComposeFileException>(problems.ThrowIfAny);
        Assert.Equal(".env:10:1: \"1BAD\" is not a variable name; lines are KEY=VALUE", e.Message);
    }
}
