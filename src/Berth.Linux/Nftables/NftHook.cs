namespace Berth.Linux.Nftables;

/// <summary>The netfilter hook a base chain is attached to.</summary>
public enum NftHook
{
    Prerouting,
    Input,
    Forward,
    Output,
    Postrouting,
    Ingress,
}
