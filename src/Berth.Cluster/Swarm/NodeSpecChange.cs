using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>A node's new spec (<c>POST /nodes/{id}/update</c> sends the whole of it).</summary>
public sealed record NodeSpecChange(string? Name, ImmutableSortedDictionary<string, string> Labels, ClusterRole Role, NodeAvailability Availability);
