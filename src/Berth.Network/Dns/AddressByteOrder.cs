namespace Berth.Network.Dns;

/// <summary>Orders addresses by their bytes: the stable order answers start from before rotation.</summary>
internal sealed class AddressByteOrder : IComparer<byte[]>
{
    public static readonly AddressByteOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
