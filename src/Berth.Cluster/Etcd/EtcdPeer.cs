namespace Berth.Cluster.Etcd;

/// <summary>One member of the etcd cluster as <c>--initial-cluster</c> names it: <c>name=peer-url</c>.</summary>
public sealed record EtcdPeer(string Name, Uri PeerUrl)
{
    public override string ToString() => $"{Name}={PeerUrl.GetLeftPart(UriPartial.Authority)}";
}
