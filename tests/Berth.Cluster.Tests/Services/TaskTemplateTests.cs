using System.Collections.Immutable;
using Berth.Cluster.Services;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Services;

/// <summary>Docker's service templates, expanded on the task's node in its hostname, environment and mounts.</summary>
public sealed class TaskTemplateTests
{
    private static readonly TaskTemplate Context = new()
    {
        ServiceId = "svc123",
        ServiceName = "web",
        ServiceLabels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("tier", "front")]),
        NodeId = "node456",
        NodeHostname = "vm1",
        TaskId = "task789",
        TaskName = "web.2.task789",
        TaskSlot = 2,
    };

    [Theory]
    [InlineData("{{.Node.Hostname}}-{{.Task.Slot}}", "vm1-2")]
    [InlineData("{{ .Service.Name }}/{{.Service.ID}}", "web/svc123")]
    [InlineData("{{.Task.Name}} {{.Task.ID}} {{.Node.ID}}", "web.2.task789 task789 node456")]
    [InlineData("{{.Node.Platform.OS}}-{{.Node.Platform.Architecture}}", "linux-x86_64")]
    [InlineData("TIER={{index .Service.Labels \"tier\"}}", "TIER=front")]
    [InlineData("X={{index .Service.Labels \"none\"}}", "X=")]
    [InlineData("plain {not a template}", "plain {not a template}")]
    public void ActionsAreReplacedAndTheRestKept(string text, string expanded) => Assert.Equal(expanded, Context.Expand(text));

    [Theory]
    [InlineData("{{.Node.Name}}", ".Node.Name")]
    [InlineData("{{printf \"%s\" .Service.Name}}", "printf")]
    [InlineData("host-{{.Task.Slot", "not closed")]
    public void AnUnknownActionIsRefusedNamingIt(string text, string named)
    {
        var e = Assert.Throws<BerthException>(() => Context.Expand(text));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
