using Berth.Cli.Client;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>What a command runs with: its streams, the terminal, the environment and the daemon (connected on first use).</summary>
public sealed class CommandContext(CliConsole console, DaemonHost host, Func<string, string?> environment) : IDisposable
{
    private DaemonClient? client;

    public TextWriter Out => Console.Out;

    public TextWriter Err => Console.Err;

    public TextReader In => Console.In;

    public CliConsole Console { get; } = console;

    public DaemonHost Host { get; } = host;

    /// <summary>The process environment (<c>-e NAME</c> takes NAME's value from it, as docker does).</summary>
    public Func<string, string?> Environment { get; } = environment;

    public DaemonClient Client => client ??= new DaemonClient(Host);

    public void Dispose() => client?.Dispose();
}
