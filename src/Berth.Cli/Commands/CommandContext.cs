using Berth.Cli.Client;

namespace Berth.Cli.Commands;

/// <summary>What a command runs with: its streams and the daemon (connected on first use).</summary>
public sealed class CommandContext(TextWriter output, TextWriter error, TextReader input, DaemonHost host) : IDisposable
{
    private DaemonClient? client;

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public TextReader In { get; } = input;

    public DaemonHost Host { get; } = host;

    public DaemonClient Client => client ??= new DaemonClient(Host);

    public void Dispose() => client?.Dispose();
}
