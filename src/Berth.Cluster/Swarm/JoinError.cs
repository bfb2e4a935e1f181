using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>The join service's refusal: the kind (so the joiner reports it as the manager meant it) and the message.</summary>
public sealed record JoinError(ErrorKind Kind, string Message);
