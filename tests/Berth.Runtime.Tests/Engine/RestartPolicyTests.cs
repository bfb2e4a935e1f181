using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("", 5)]
    [InlineData("no", 0)]
    [InlineData("always", 0)]
    [InlineData("unless-stopped", 0)]
    [InlineData("on-failure", 0)]
    [InlineData("on-failure", 3)]
    public void Policies_moby_accepts_are_accepted(string name, int max) =>
        Assert.Equal(new RestartPolicy(name, max), RestartPolicy.Validate(name, max, autoRemove: false));

    [Theory]
    [InlineData("bogus", 0, "invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'")]
    [InlineData("always", 2, "invalid restart policy: maximum retry count can only be used with 'on-failure'")]
    [InlineData("unless-stopped", 1, "invalid restart policy: maximum retry count can only be used with 'on-failure'")]
    [InlineData("no", -1, "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative")]
    [InlineData("on-failure", -1, "invalid restart policy: maximum retry count cannot be negative")]
    public void Bad_policies_are_invalid_arguments_with_mobys_words(string name, int max, string message)
    {
        var e = Assert.Throws<BerthException>(() => RestartPolicy.Validate(name, max, autoRemove: false));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    [InlineData("on-failure")]
    public void A_policy_with_auto_remove_is_a_conflict_of_options(string name)
    {
        var e = Assert.Throws<BerthException>(() => RestartPolicy.Validate(name, 0, autoRemove: true));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("Conflicting options: --restart and --rm", e.Message, StringComparison.Ordinal);
        Assert.Equal(RestartPolicy.None with { Name = "no" }, RestartPolicy.Validate("no", 0, autoRemove: true));
    }

    [Theory]
    [InlineData("", 0, 1, false, 0, false)]
    [InlineData("no", 0, 1, false, 0, false)]
    [InlineData("always", 0, 0, false, 0, true)]
    [InlineData("always", 0, 137, true, 50, true)]
    [InlineData("unless-stopped", 0, 0, false, 9, true)]
    [InlineData("unless-stopped", 0, 137, true, 0, false)]
    [InlineData("on-failure", 0, 0, false, 0, false)]
    [InlineData("on-failure", 0, 1, false, 100, true)]
    [InlineData("on-failure", 0, 1, true, 0, true)]
    [InlineData("on-failure", 2, 1, false, 1, true)]
    [InlineData("on-failure", 2, 1, false, 2, false)]
    public void The_restart_decision_follows_the_policy(string name, int max, int exitCode, bool manuallyStopped, int restarts, bool expected) =>
        Assert.Equal(expected, new RestartPolicy(name, max).ShouldRestart(exitCode, manuallyStopped, restarts));
}
