namespace Berth.Runtime.Images;

/// <summary>
/// The decision for one tar entry: its kind and the path (relative to the layer root, '/'-separated,
/// no <c>.</c> or <c>..</c>) it acts on. For a whiteout that is the deleted name; for an opaque marker
/// the directory.
/// </summary>
public sealed record LayerEntryPlan(LayerEntryKind Kind, string Path);
