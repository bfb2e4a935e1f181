namespace Berth.Fuzzing;

/// <summary>One request the fuzzer sends: <paramref name="Path"/> with its query, no API version prefix.</summary>
public sealed record FuzzRequest(FuzzRoute Route, string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string? ContentType, string What)
{
    public override string ToString() => $"{Method} {(Path.Length > 200 ? Path[..200] + "…" : Path)} [{What}, {Body.Length} B body]";
}
