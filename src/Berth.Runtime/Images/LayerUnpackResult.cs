namespace Berth.Runtime.Images;

/// <summary>What unpacking one layer produced: the digest of the uncompressed tar and the bytes of its files.</summary>
public sealed record LayerUnpackResult(string DiffId, long Size, int Entries);
