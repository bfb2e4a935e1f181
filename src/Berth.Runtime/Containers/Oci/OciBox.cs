namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process.consoleSize</c>.</summary>
public sealed record OciBox(uint Height, uint Width);
