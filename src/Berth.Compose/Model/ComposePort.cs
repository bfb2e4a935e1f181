namespace Berth.Compose.Model;

/// <summary>
/// One published port, from the short (<c>"127.0.0.1:8080:80/udp"</c>) or long form. A range in the short
/// form (<c>8080-8081:80-81</c>) loads as one entry per port.
/// </summary>
/// <param name="Target">The container port.</param>
/// <param name="Published">The host port or range (<c>8080</c>, <c>8080-8090</c>); null for any free port.</param>
/// <param name="HostIp">The host address; null for every address.</param>
/// <param name="Protocol"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="Mode">The long form's <c>mode</c> (<c>ingress</c> or <c>host</c>, for stacks); null when not written.</param>
public sealed record ComposePort(ushort Target, string? Published = null, string? HostIp = null, string Protocol = "tcp", string? Mode = null);
