using System.Collections.Immutable;

namespace Berth.Cluster.Swarm;

/// <summary>One member of the etcd cluster as etcd lists it. A learner added but not started yet has no name.</summary>
public sealed record EtcdMemberInfo(ulong Id, string Name, ImmutableArray<Uri> PeerUrls, ImmutableArray<Uri> ClientUrls, bool IsLearner);
