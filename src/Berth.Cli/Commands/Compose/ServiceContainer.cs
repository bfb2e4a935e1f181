namespace Berth.Cli.Commands.Compose;

/// <summary>A container of a service after <c>up</c> converged it.</summary>
public sealed record ServiceContainer(string Service, int Number, string Id, string Name);
