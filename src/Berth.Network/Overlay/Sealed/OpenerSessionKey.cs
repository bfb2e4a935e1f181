namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// Names one sender session at a receiver: the sender's VTEP (its bytes as a number, and how many: an IPv4
/// address and the IPv6 address with the same low bytes are different senders), the ring key's full
/// generation and the session id.
/// </summary>
internal readonly record struct OpenerSessionKey(UInt128 Sender, byte SenderLength, uint Generation, ulong Session)
{
    public static OpenerSessionKey Of(ReadOnlySpan<byte> senderVtep, uint generation, ulong session)
    {
        UInt128 sender = 0;
        foreach (var b in senderVtep)
        {
            sender = (sender << 8) | b;
        }

        return new OpenerSessionKey(sender, (byte)senderVtep.Length, generation, session);
    }
}
