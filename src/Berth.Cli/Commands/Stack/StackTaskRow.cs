using System.Globalization;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Stack;

/// <summary>What <c>stack ps --format</c> sees (docker's task <c>taskContext</c>), with the task's display name and node already resolved.</summary>
public sealed class StackTaskRow : StringFieldsRow
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}";
    public const string RawFormat =
        "id: {{.ID}}\\nname: {{.Name}}\\nimage: {{.Image}}\\nnode: {{.Node}}\\ndesired_state: {{.DesiredState}}\\ncurrent_state: {{.CurrentState}}\\nerror: {{.Error}}\\nports: {{.Ports}}\\n";

    private const int MaxErrorLength = 30;

    public static readonly TableHeader Header = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "ID", ["Name"] = "NAME", ["Image"] = "IMAGE", ["Node"] = "NODE", ["DesiredState"] = "DESIRED STATE",
        ["CurrentState"] = "CURRENT STATE", ["Error"] = "ERROR", ["Ports"] = "PORTS",
    });

    public StackTaskRow(SwarmTask task, string name, string node, bool truncate, DateTimeOffset now)
        : base("*task.taskContext")
    {
        ArgumentNullException.ThrowIfNull(task);
        var image = task.Spec.ContainerSpec?.Image ?? "";
        var error = task.Status.Err ?? "";
        if (truncate)
        {
            error = GoUnits.Ellipsis(error, MaxErrorLength);
        }

        Fields["ID"] = truncate ? GoUnits.TruncateId(task.ID) : task.ID;
        Fields["Name"] = name;
        Fields["Image"] = truncate ? SwarmDisplay.FamiliarTagged(image) : image;
        Fields["Node"] = node;
        Fields["DesiredState"] = SwarmDisplay.Pretty(task.DesiredState);
        Fields["CurrentState"] = $"{SwarmDisplay.Pretty(task.Status.State)} {GoUnits.HumanDuration(now - SwarmDisplay.ParseTime(task.Status.Timestamp)).ToLowerInvariant()} ago";
        Fields["Error"] = error.Length > 0 ? $"\"{error}\"" : "";
        Fields["Ports"] = string.Join(",", (task.Status.PortStatus.Ports ?? []).Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"*:{p.PublishedPort}->{p.TargetPort}/{p.Protocol}")));
    }
}
