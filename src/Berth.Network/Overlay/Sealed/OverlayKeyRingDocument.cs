namespace Berth.Network.Overlay.Sealed;

/// <summary>The stored form of <see cref="OverlayKeyRing"/> (etcd <c>cluster/overlay-keys</c>); checked by <see cref="OverlayKeyRing.FromJson"/>.</summary>
internal sealed record OverlayKeyRingDocument(List<OverlayKeyDocument?>? Keys);
