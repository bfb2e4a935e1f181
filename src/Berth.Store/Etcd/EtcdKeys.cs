using System.Text;
using Berth.Core.Errors;
using Google.Protobuf;

namespace Berth.Store;

/// <summary>Berth keys ↔ etcd keys under one prefix, and etcd's half-open ranges for prefixes.</summary>
internal sealed class EtcdKeys
{
    private readonly byte[] _prefix;

    public EtcdKeys(string prefix)
    {
        if (string.IsNullOrEmpty(prefix) || !prefix.EndsWith('/'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"etcd store prefix \"{prefix}\" must be non-empty and end with '/', e.g. \"/berth/\"");
        }

        Prefix = prefix;
        _prefix = Encoding.UTF8.GetBytes(prefix);
    }

    public string Prefix { get; }

    public ByteString Key(string key) => ByteString.CopyFrom([.. _prefix, .. Encoding.UTF8.GetBytes(key)]);

    /// <summary>[start, end) covering every key that starts with <paramref name="prefix"/> (a Berth prefix; "" = all of ours).</summary>
    public (ByteString Start, ByteString End) Range(string prefix)
    {
        var start = Key(prefix).ToByteArray();
        return (ByteString.CopyFrom(start), ByteString.CopyFrom(RangeEnd(start)));
    }

    public string FromEtcd(ByteString key)
    {
        var span = key.Span;
        if (!span.StartsWith(_prefix))
        {
            throw new BerthException(ErrorKind.Internal, $"etcd returned key \"{key.ToStringUtf8()}\" outside the store's prefix \"{Prefix}\"");
        }

        return Encoding.UTF8.GetString(span[_prefix.Length..]);
    }

    /// <summary>etcd's prefix range end: the prefix with its last byte below 0xff incremented and the rest cut.</summary>
    internal static byte[] RangeEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        // Every byte 0xff: no end below; "\0" means "to the end of the keyspace" in etcd.
        return [0];
    }
}
