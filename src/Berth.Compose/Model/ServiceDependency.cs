namespace Berth.Compose.Model;

/// <summary>One entry of <c>depends_on</c>: the list form means <see cref="DependencyCondition.Started"/>.</summary>
public sealed record ServiceDependency(string Service, DependencyCondition Condition = DependencyCondition.Started);
