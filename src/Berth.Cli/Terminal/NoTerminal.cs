namespace Berth.Cli.Terminal;

/// <summary>Neither stdin nor stdout is a terminal (redirected, or the CLI runs in-process under test).</summary>
public sealed class NoTerminal : ITerminal
{
    public static readonly NoTerminal Instance = new();

    public bool IsInputTerminal => false;

    public bool IsOutputTerminal => false;

    public (int Rows, int Columns)? Size => null;

    public IDisposable MakeInputRaw() => Nothing.Instance;

    public IDisposable OnResize(Action resized) => Nothing.Instance;

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
