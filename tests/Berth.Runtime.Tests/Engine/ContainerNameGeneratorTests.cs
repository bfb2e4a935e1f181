using System.Text.RegularExpressions;
using Berth.Runtime.Engine.Naming;

namespace Berth.Runtime.Tests.Engine;

/// <summary>Generated container names: many distinct ones, always valid, and an end even when every pair is taken.</summary>
public sealed partial class ContainerNameGeneratorTests
{
    [Fact]
    public void Ten_thousand_draws_give_ten_thousand_distinct_valid_names()
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 10_000; i++)
        {
            string name = ContainerNameGenerator.Generate(taken.Contains);
            Assert.Matches(ValidName(), name);
            Assert.True(taken.Add(name), $"{name} was handed out twice");
        }

        Assert.Equal(10_000, taken.Count);
    }

    [Fact]
    public void When_every_plain_pair_is_taken_a_numeric_suffix_is_added()
    {
        // Every name without a digit counts as taken: the generator must move on to suffixes and stop.
        string name = ContainerNameGenerator.Generate(candidate => !candidate.Any(char.IsAsciiDigit));
        Assert.Matches(@"^[a-z]+_[a-z]+[0-9]+$", name);
    }

    [Fact]
    public void When_nearly_everything_is_taken_it_still_ends()
    {
        // Only one name in the whole space is free: the counting fallback finds it.
        int asked = 0;
        string name = ContainerNameGenerator.Generate(candidate =>
        {
            asked++;
            return !candidate.EndsWith("1234567", StringComparison.Ordinal);
        });
        Assert.EndsWith("1234567", name, StringComparison.Ordinal);
        Assert.InRange(asked, 1, 1_300_000);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();
}
