using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Cluster.Services;

/// <summary>
/// Docker's service templates (<c>docker service create --hostname "{{.Node.Hostname}}-{{.Task.Slot}}"</c>), expanded on
/// the task's node in its hostname, environment values and mounts' source and target, as swarmkit does. The actions
/// Docker's documentation names are supported: a field (<c>{{.Service.Name}}</c>, <c>{{.Service.ID}}</c>,
/// <c>{{.Node.ID}}</c>, <c>{{.Node.Hostname}}</c>, <c>{{.Node.Platform.OS}}</c>, <c>{{.Node.Platform.Architecture}}</c>,
/// <c>{{.Task.ID}}</c>, <c>{{.Task.Name}}</c>, <c>{{.Task.Slot}}</c>) or a label (<c>{{index .Service.Labels "k"}}</c>,
/// a missing one empty). Anything else is an error naming the action: the task is rejected with it.
/// </summary>
public sealed partial record TaskTemplate
{
    public required string ServiceId { get; init; }

    public required string ServiceName { get; init; }

    public ImmutableSortedDictionary<string, string> ServiceLabels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public required string NodeId { get; init; }

    public required string NodeHostname { get; init; }

    public string NodeOS { get; init; } = "linux";

    public string NodeArchitecture { get; init; } = "x86_64";

    public required string TaskId { get; init; }

    /// <summary>The task's full name, as its container's (<c>web.1.&lt;task id&gt;</c>).</summary>
    public required string TaskName { get; init; }

    /// <summary>The slot; 0 for a global task (Docker shows an empty slot as 0 too).</summary>
    public int TaskSlot { get; init; }

    /// <summary><paramref name="text"/> with every <c>{{…}}</c> action replaced; text without actions is returned as it is.</summary>
    public string Expand(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        int at = 0;
        while (at < text.Length)
        {
            int open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(text, at, text.Length - at);
                break;
            }

            int close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid(text, "an action \"{{\" is not closed by \"}}\"");
            }

            result.Append(text, at, open - at);
            result.Append(Evaluate(text, text[(open + 2)..close].Trim().Trim('-').Trim()));
            at = close + 2;
        }

        return result.ToString();
    }

    private string Evaluate(string text, string action)
    {
        if (LabelAction().Match(action) is { Success: true } label)
        {
            return ServiceLabels.GetValueOrDefault(label.Groups[1].Value) ?? "";
        }

        return action switch
        {
            ".Service.ID" => ServiceId,
            ".Service.Name" => ServiceName,
            ".Node.ID" => NodeId,
            ".Node.Hostname" => NodeHostname,
            ".Node.Platform.OS" => NodeOS,
            ".Node.Platform.Architecture" => NodeArchitecture,
            ".Task.ID" => TaskId,
            ".Task.Name" => TaskName,
            ".Task.Slot" => TaskSlot.ToString(CultureInfo.InvariantCulture),
            _ => throw Invalid(text, $"\"{{{{{action}}}}}\" is not a field Docker's service templates have (.Service.ID/Name, .Node.ID/Hostname/Platform.OS/Platform.Architecture, .Task.ID/Name/Slot, index .Service.Labels \"key\")"),
        };
    }

    private static BerthException Invalid(string text, string problem) =>
        new(ErrorKind.InvalidArgument, $"template \"{text}\": {problem}");

    [GeneratedRegex("""^index\s+\.Service\.Labels\s+"([^"]*)"$""")]
    private static partial Regex LabelAction();
}
