namespace Berth.Network.Overlay.Sealed;

/// <summary>The 24-byte header of one sealed datagram, as read (see <see cref="SealedHeader"/> for the layout).</summary>
/// <param name="Generation">The low 8 bits of the ring key's generation.</param>
/// <param name="Index">The chunk's place in its frame, 0 to <paramref name="Count"/> − 1.</param>
/// <param name="Count">How many chunks the frame was cut into, 1 to <see cref="SealedHeader.MaxChunks"/>.</param>
/// <param name="Vni">The overlay's VNI (24 bits).</param>
/// <param name="Session">The sender's session id: random per sender start and key generation.</param>
/// <param name="Counter">The chunk's counter; the chunks of one frame have consecutive counters.</param>
public readonly record struct SealedChunkHeader(byte Generation, byte Index, byte Count, uint Vni, ulong Session, ulong Counter);
