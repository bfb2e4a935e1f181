using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Stack;

/// <summary>What a stack reads of a secret or config (<c>GET /secrets</c>, <c>/configs</c>): its id, version and name.</summary>
public sealed class SwarmObject
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public SwarmObjectSpec Spec { get; set; } = new();
}
