using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>
/// One thing that happened to an object of the daemon, as Docker's <c>/events</c> reports it: the object's
/// <paramref name="Type"/> (<c>container</c>, <c>network</c>), what happened (<paramref name="Action"/>: <c>create</c>,
/// <c>start</c>, <c>die</c>, <c>health_status: healthy</c>, …), the object's id and its attributes (a container's
/// labels, <c>image</c> and <c>name</c>; <c>exitCode</c>, <c>signal</c>, <c>container</c> where they apply).
/// </summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, ImmutableSortedDictionary<string, string> Attributes, DateTimeOffset Time);
