using System.Collections.Immutable;
using Berth.Api.Containers;
using Berth.Runtime.Engine;

namespace Berth.Api.Tests;

public sealed class ContainerDisplayTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(0.4, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Durations_read_as_go_units_writes_them(double seconds, string expected) =>
        Assert.Equal(expected, ContainerDisplay.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Status_words_are_dockers()
    {
        var created = Record() with { Status = ContainerStatus.Created };
        Assert.Equal("Created", ContainerDisplay.Status(created, Now));
        Assert.Equal("created", ContainerDisplay.State(created));
        Assert.Equal("Up 3 seconds", ContainerDisplay.Status(Record() with { Status = ContainerStatus.Running, StartedAt = Now.AddSeconds(-3) }, Now));
        var exited = Record() with { Status = ContainerStatus.Exited, ExitCode = 3, StartedAt = Now.AddMinutes(-5), FinishedAt = Now.AddSeconds(-2) };
        Assert.Equal("Exited (3) 2 seconds ago", ContainerDisplay.Status(exited, Now));
        var restarting = exited with { Status = ContainerStatus.Restarting };
        Assert.Equal("Restarting (3) 2 seconds ago", ContainerDisplay.Status(restarting, Now));
        Assert.Equal("restarting", ContainerDisplay.State(restarting));
    }

    [Fact]
    public void The_command_quotes_arguments_with_spaces() =>
        Assert.Equal("sh -c 'exit 3'", ContainerDisplay.Command(Record() with { Command = ["sh", "-c", "exit 3"] }));

    private static ContainerRecord Record() => new()
    {
        Id = Berth.Core.Containers.ContainerId.Parse(new string('a', 64)),
        Name = "c1",
        Created = Now.AddHours(-1),
        Spec = new ContainerCreateSpec { Image = "bb:latest" },
        ImageId = "sha256:1",
        Command = ImmutableArray.Create("sleep", "300"),
    };
}
