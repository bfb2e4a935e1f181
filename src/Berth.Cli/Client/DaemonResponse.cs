namespace Berth.Cli.Client;

/// <summary>A successful reply: status and raw body.</summary>
public sealed record DaemonResponse(int StatusCode, byte[] Body);
