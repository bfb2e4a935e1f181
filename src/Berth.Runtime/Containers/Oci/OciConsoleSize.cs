namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec <c>process.consoleSize</c>: the terminal's size from its first instant.</summary>
public sealed record OciConsoleSize(uint Height, uint Width);
