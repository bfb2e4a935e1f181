namespace Berth.Network.Overlay.Sealed;

/// <summary>One key of <see cref="OverlayKeyRingDocument"/>: the key as base64.</summary>
internal sealed record OverlayKeyDocument(uint Generation, byte[]? Key, DateTimeOffset Created);
