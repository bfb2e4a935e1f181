namespace Berth.Runtime.Engine;

/// <summary>
/// A started exec as its client sees it: the process's input, its terminal's size, and the end — the exit
/// code, given once every byte of output went to the sink and the exit is recorded (so that an inspect made
/// after the stream ends sees it).
/// </summary>
public sealed class ExecRun
{
    private readonly Containers.ExecProcess _process;

    internal ExecRun(Containers.ExecProcess process, Task<int> completion)
    {
        _process = process;
        Completion = completion;
    }

    public bool Tty => _process.Tty;

    public Task<int> Completion { get; }

    /// <summary>Sets the terminal's size; no-op without a terminal or once the process ended.</summary>
    public void Resize(ushort rows, ushort columns) => _process.Resize(rows, columns);

    /// <summary>Copies client input to the process until <paramref name="input"/> ends (then the process reads EOF) or the process ends.</summary>
    public async Task CopyInputAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (!Completion.IsCompleted)
            {
                int read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await _process.Stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await _process.Stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            _process.CloseStdin();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The process exited (its input is gone) or the client did.
        }
    }
}
