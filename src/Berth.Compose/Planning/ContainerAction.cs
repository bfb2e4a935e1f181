namespace Berth.Compose.Planning;

/// <summary>What <c>up</c> does to container <see cref="Number"/> of a service.</summary>
/// <param name="Existing">The container there now (null for <see cref="ContainerActionKind.Create"/>).</param>
public sealed record ContainerAction(ContainerActionKind Kind, int Number, string Name, ExistingContainer? Existing);
