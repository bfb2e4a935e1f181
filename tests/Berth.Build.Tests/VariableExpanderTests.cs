using Berth.Build.Dockerfile;

namespace Berth.Build.Tests;

/// <summary>Docker's substitution rules, case by case (BuildKit's shell/envVarTest is the model).</summary>
public sealed class VariableExpanderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["PWD"] = "/home",
        ["SHELL"] = "bash",
        ["EMPTY"] = "",
        ["FILE"] = "archive.tar.gz",
        ["PORTS"] = "80 443",
    };

    private static readonly VariableExpander Expander = new();

    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("$PWD", "/home")]
    [InlineData("${PWD}", "/home")]
    [InlineData("he$PWD.x", "he/home.x")]
    [InlineData("$UNSET", "")]
    [InlineData("${UNSET}x", "x")]
    [InlineData("$", "$")]
    [InlineData("a$ b", "a$ b")]
    [InlineData("\\$PWD", "$PWD")]
    [InlineData("'$PWD'", "$PWD")]
    [InlineData("\"$PWD\"", "/home")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\b\"", "a\\b")]
    [InlineData("'a\\b'", "a\\b")]
    [InlineData("a\\ b", "a b")]
    [InlineData("${UNSET:-def}", "def")]
    [InlineData("${EMPTY:-def}", "def")]
    [InlineData("${EMPTY-def}", "")]
    [InlineData("${UNSET-def}", "def")]
    [InlineData("${PWD:-def}", "/home")]
    [InlineData("${PWD:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET+alt}", "")]
    [InlineData("${UNSET:-$PWD/x}", "/home/x")]
    [InlineData("${UNSET:-'a b'}", "a b")]
    [InlineData("${PWD:?oops}", "/home")]
    [InlineData("${EMPTY?oops}", "")]
    [InlineData("${FILE%.gz}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${FILE#*.}", "tar.gz")]
    [InlineData("${FILE##*.}", "gz")]
    [InlineData("${FILE/a/A}", "Archive.tar.gz")]
    [InlineData("${FILE//a/A}", "Archive.tAr.gz")]
    [InlineData("$1", "")]
    public void Expands(string word, string expected) => Assert.Equal(expected, Expander.Expand(word, Env));

    [Fact]
    public void BacktickEscape() => Assert.Equal("$PWD", new VariableExpander('`').Expand("`$PWD", Env));

    [Theory]
    [InlineData("${UNSET:?must be set}", "failed to process \"${UNSET:?must be set}\": UNSET: must be set")]
    [InlineData("${UNSET:?}", "failed to process \"${UNSET:?}\": UNSET: is not allowed to be unset")]
    [InlineData("${EMPTY:?}", "failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty")]
    [InlineData("${UNSET?x}", "failed to process \"${UNSET?x}\": UNSET: x")]
    [InlineData("${PWD", "failed to process \"${PWD\": syntax error: missing '}'")]
    [InlineData("${PWD:-x", "failed to process \"${PWD:-x\": syntax error: missing '}'")]
    [InlineData("${}", "failed to process \"${}\": syntax error: bad substitution")]
    [InlineData("${:x}", "failed to process \"${:x}\": syntax error: bad substitution")]
    [InlineData("${PWD:x}", "failed to process \"${PWD:x}\": unsupported modifier (:x) in substitution")]
    [InlineData("${PWD:#x}", "failed to process \"${PWD:#x}\": unsupported modifier (:#) in substitution")]
    [InlineData("'abc", "failed to process \"'abc\": unexpected end of statement while looking for matching single-quote")]
    public void Errors(string word, string message) =>
        Assert.Equal(message, Assert.Throws<DockerfileException>(() => Expander.Expand(word, Env)).Message);

    [Theory]
    [InlineData("$PORTS", new[] { "80", "443" })]
    [InlineData("\"$PORTS\"", new[] { "80 443" })]
    [InlineData("a b  'c d'", new[] { "a", "b", "c d" })]
    [InlineData("\"\"", new string[0])]
    public void Words(string word, string[] expected) => Assert.Equal(expected, Expander.ExpandWords(word, Env));
}
