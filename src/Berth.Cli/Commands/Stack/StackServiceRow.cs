using System.Globalization;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Stack;

/// <summary>What <c>stack services --format</c> sees (docker's service <c>serviceContext</c>): ID, Name, Mode, Replicas, Image, Ports.</summary>
public sealed class StackServiceRow : StringFieldsRow
{
    public const string DefaultTableFormat = "table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}";
    public const string RawFormat = "id: {{.ID}}\\nname: {{.Name}}\\nmode: {{.Mode}}\\nreplicas: {{.Replicas}}\\nimage: {{.Image}}\\nports: {{.Ports}}\\n";

    public static readonly TableHeader Header = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "ID", ["Name"] = "NAME", ["Mode"] = "MODE", ["Replicas"] = "REPLICAS", ["Image"] = "IMAGE", ["Ports"] = "PORTS",
    });

    public StackServiceRow(Service service)
        : base("*service.serviceContext")
    {
        ArgumentNullException.ThrowIfNull(service);
        var mode = service.Spec.Mode;
        Fields["ID"] = GoUnits.TruncateId(service.ID);
        Fields["Name"] = service.Spec.Name ?? "";
        Fields["Mode"] = mode switch
        {
            { Global: not null } => "global",
            { Replicated: not null } => "replicated",
            { ReplicatedJob: not null } => "replicated job",
            { GlobalJob: not null } => "global job",
            _ => "",
        };
        Fields["Replicas"] = Replicas(service, Fields["Mode"]);
        Fields["Image"] = SwarmDisplay.FamiliarTagged(service.Spec.TaskTemplate?.ContainerSpec?.Image ?? "");
        Fields["Ports"] = Ports(service.Endpoint.Ports);
    }

    private static string Replicas(Service service, string mode)
    {
        var status = service.ServiceStatus;
        ulong running = status?.RunningTasks ?? 0, desired = status?.DesiredTasks ?? 0, completed = status?.CompletedTasks ?? 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{running}/{desired}");
        var maxPerNode = service.Spec.TaskTemplate?.Placement?.MaxReplicas ?? 0;
        return service.Spec.Mode switch
        {
            { ReplicatedJob: { } job } => string.Create(CultureInfo.InvariantCulture, $"{text} ({completed}/{job.TotalCompletions ?? 0} completed)"),
            { GlobalJob: not null } => string.Create(CultureInfo.InvariantCulture, $"{text} ({completed}/{desired + completed} completed)"),
            _ when mode == "replicated" && maxPerNode > 0 => string.Create(CultureInfo.InvariantCulture, $"{text} (max {maxPerNode} per node)"),
            _ => text,
        };
    }

    /// <summary>Ingress ports as <c>*:8080->80/tcp</c>, consecutive ones merged into ranges (<c>*:8080-8081->80-81/tcp</c>), as docker groups them.</summary>
    private static string Ports(List<PortConfig>? ports)
    {
        if (ports is null)
        {
            return "";
        }

        var result = new List<string>();
        (uint PStart, uint PEnd, uint TStart, uint TEnd, string Protocol) range = (0, 0, 0, 0, "");
        foreach (var port in ports.OrderBy(p => p.Protocol ?? "", StringComparer.Ordinal).ThenBy(p => p.PublishedPort).Where(p => p.PublishMode == "ingress"))
        {
            var protocol = port.Protocol ?? "";
            var isRange = range.TEnd != range.TStart;
            var overlaps = port.TargetPort <= range.TEnd;
            if (protocol != range.Protocol || port.PublishedPort - range.PEnd > 1 || port.TargetPort - range.TEnd > 1 || (isRange && overlaps))
            {
                if (range.PStart > 0)
                {
                    result.Add(Format(range));
                }

                range = (port.PublishedPort, port.PublishedPort, port.TargetPort, port.TargetPort, protocol);
                continue;
            }

            range.PEnd = port.PublishedPort;
            range.TEnd = port.TargetPort;
        }

        if (range.PStart > 0)
        {
            result.Add(Format(range));
        }

        return string.Join(", ", result);
    }

    private static string Format((uint PStart, uint PEnd, uint TStart, uint TEnd, string Protocol) range)
    {
        var published = range.PEnd > range.PStart ? $"{range.PStart}-{range.PEnd}" : range.PStart.ToString(CultureInfo.InvariantCulture);
        var target = range.TEnd > range.TStart ? $"{range.TStart}-{range.TEnd}" : range.TStart.ToString(CultureInfo.InvariantCulture);
        return $"*:{published}->{target}/{range.Protocol}";
    }
}
