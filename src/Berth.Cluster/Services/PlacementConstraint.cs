using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Cluster.Services;

public enum ConstraintOperator
{
    Equal,
    NotEqual,
}

/// <summary>
/// One <c>--constraint</c>, parsed once (swarmkit <c>constraint.Parse</c>): a key (<c>node.id</c>, <c>node.hostname</c>,
/// <c>node.role</c>, <c>node.platform.os</c>, <c>node.platform.arch</c>, <c>node.labels.X</c>, <c>engine.labels.X</c>),
/// <c>==</c> or <c>!=</c>, and a value compared without regard to case.
/// </summary>
public sealed partial record PlacementConstraint(string Key, ConstraintOperator Operator, string Value)
{
    public const string NodeLabelPrefix = "node.labels.";
    public const string EngineLabelPrefix = "engine.labels.";

    private static readonly string[] FixedKeys = ["node.id", "node.hostname", "node.role", "node.platform.os", "node.platform.arch"];

    /// <summary>Parses <paramref name="expression"/>; InvalidArgument naming it when it does not read.</summary>
    public static PlacementConstraint Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        // swarmkit tries "==" before "!=", so "a!=b" is split on "!=" only when it holds no "==".
        (string op, ConstraintOperator kind) = expression.Contains("==", StringComparison.Ordinal) ? ("==", ConstraintOperator.Equal)
            : expression.Contains("!=", StringComparison.Ordinal) ? ("!=", ConstraintOperator.NotEqual)
            : throw Invalid(expression, "constraint expected one operator from ==, !=");
        int at = expression.IndexOf(op, StringComparison.Ordinal);
        string key = expression[..at].Trim();
        string value = expression[(at + op.Length)..].Trim();
        if (!KeyPattern().IsMatch(key))
        {
            throw Invalid(expression, $"key '{key}' is invalid");
        }

        string lower = key.ToLowerInvariant();
        bool label = (lower.StartsWith(NodeLabelPrefix, StringComparison.Ordinal) && lower.Length > NodeLabelPrefix.Length)
            || (lower.StartsWith(EngineLabelPrefix, StringComparison.Ordinal) && lower.Length > EngineLabelPrefix.Length);
        if (!label && !FixedKeys.Contains(lower))
        {
            throw Invalid(expression, $"key '{key}' is invalid: expected node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<name> or engine.labels.<name>");
        }

        if (!ValuePattern().IsMatch(value))
        {
            throw Invalid(expression, $"value '{value}' is invalid");
        }

        if (lower == "node.role" && !value.Equals("manager", StringComparison.OrdinalIgnoreCase) && !value.Equals("worker", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(expression, $"node.role must be manager or worker, not '{value}'");
        }

        // Label names keep their case (labels are case-sensitive); the fixed keys do not.
        string canonical = label ? string.Concat(lower.AsSpan(0, lower.StartsWith(NodeLabelPrefix, StringComparison.Ordinal) ? NodeLabelPrefix.Length : EngineLabelPrefix.Length),
            key.AsSpan(lower.StartsWith(NodeLabelPrefix, StringComparison.Ordinal) ? NodeLabelPrefix.Length : EngineLabelPrefix.Length)) : lower;
        return new PlacementConstraint(canonical, kind, value);
    }

    /// <summary>Every expression parsed; the first that does not read fails them all.</summary>
    public static IReadOnlyList<PlacementConstraint> ParseAll(IEnumerable<string> expressions) => [.. expressions.Select(Parse)];

    /// <summary>Whether <paramref name="node"/> satisfies this constraint (a missing label equals nothing).</summary>
    public bool Matches(SchedulerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        string? actual = Key switch
        {
            "node.id" => node.Id.Value,
            "node.hostname" => node.Hostname,
            "node.role" => node.Role == Identity.ClusterRole.Manager ? "manager" : "worker",
            "node.platform.os" => node.Os,
            "node.platform.arch" => node.Architecture,
            _ when Key.StartsWith(NodeLabelPrefix, StringComparison.Ordinal) => node.Labels.GetValueOrDefault(Key[NodeLabelPrefix.Length..]),
            _ when Key.StartsWith(EngineLabelPrefix, StringComparison.Ordinal) => node.EngineLabels.GetValueOrDefault(Key[EngineLabelPrefix.Length..]),
            _ => null,
        };
        bool equal = actual is not null && (actual.Equals(Value, StringComparison.OrdinalIgnoreCase)
            || (Key == "node.platform.arch" && SchedulerNode.NormaliseArchitecture(actual) == SchedulerNode.NormaliseArchitecture(Value)));
        return Operator == ConstraintOperator.Equal ? equal : !equal;
    }

    public override string ToString() => $"{Key}{(Operator == ConstraintOperator.Equal ? "==" : "!=")}{Value}";

    private static BerthException Invalid(string expression, string why) =>
        new(ErrorKind.InvalidArgument, $"invalid constraint \"{expression}\": {why}");

    [GeneratedRegex(@"^(?i)[a-z_][a-z0-9\-_.]+$")]
    private static partial Regex KeyPattern();

    // swarmkit's: no operators (<, >, ~ …) in a value.
    [GeneratedRegex(@"^(?i)[a-z0-9:\-_\s\.\*\(\)\?\+\[\]\\\^\$\|\/]+$")]
    private static partial Regex ValuePattern();
}
