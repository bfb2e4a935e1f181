namespace Berth.Runtime.Build;

/// <summary>
/// What a <c>COPY</c>/<c>ADD</c> did: the sources' content checksum (<see cref="ContentChecksum"/>: <c>file:HEX</c>,
/// <c>dir:HEX</c> or <c>multi:HEX</c>, as moby's classic builder names them in <c>created_by</c>) and the bytes written.
/// </summary>
public sealed record BuildCopyResult(string Checksum, long Bytes);
