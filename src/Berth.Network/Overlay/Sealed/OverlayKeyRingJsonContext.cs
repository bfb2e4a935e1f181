using System.Text.Json.Serialization;

namespace Berth.Network.Overlay.Sealed;

/// <summary>Source-generated JSON for the overlay key ring (berthd is compiled ahead of time; no reflection).</summary>
[JsonSerializable(typeof(OverlayKeyRingDocument))]
internal sealed partial class OverlayKeyRingJsonContext : JsonSerializerContext
{
}
