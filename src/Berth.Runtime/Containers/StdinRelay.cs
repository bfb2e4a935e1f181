namespace Berth.Runtime.Containers;

/// <summary>
/// Carries an attached client's stdin to a container that may not run yet: <c>docker run -i</c> attaches
/// (and often sends all its input and half-closes) before it starts the container. Until the container's
/// stdin is there, what the client sends is kept (up to <see cref="MaxBufferedBytes"/>; beyond that
/// reading pauses and the connection holds the rest); then it is delivered in order, the rest is copied
/// as it comes, and the client's end of input closes the container's stdin.
/// </summary>
public static class StdinRelay
{
    public const int MaxBufferedBytes = 1024 * 1024;

    private const int ChunkBytes = 8192;

    /// <param name="client">The client's side of the connection; a read of 0 bytes is its half-close.</param>
    /// <param name="container">The container's stdin once it runs; null when it never will (exited, removed).</param>
    /// <param name="cancellationToken">Ends the relay (the attach is over).</param>
    /// <returns>The number of bytes delivered to the container.</returns>
    public static Task<long> RunAsync(Stream client, Task<IContainerStdin?> container, CancellationToken cancellationToken = default) =>
        RunAsync(client, container, closeAtEnd: true, cancellationToken);

    /// <param name="client">The client's side of the connection; a read of 0 bytes is its half-close.</param>
    /// <param name="container">The container's stdin once it runs; null when it never will (exited, removed).</param>
    /// <param name="closeAtEnd">Whether the client's end of input closes the container's stdin (not on a terminal: the client detaches, the shell stays).</param>
    /// <param name="cancellationToken">Ends the relay (the attach is over).</param>
    /// <returns>The number of bytes delivered to the container.</returns>
    public static async Task<long> RunAsync(Stream client, Task<IContainerStdin?> container, bool closeAtEnd, CancellationToken cancellationToken = default)
    {
        var buffered = new MemoryStream();
        byte[] chunk = new byte[ChunkBytes];
        Task<int>? read = null;
        bool ended = false;
        while (!container.IsCompleted && !ended && buffered.Length < MaxBufferedBytes)
        {
            read ??= client.ReadAsync(chunk, cancellationToken).AsTask();
            if (await Task.WhenAny(read, container).ConfigureAwait(false) != read)
            {
                break;
            }

            int count = await read.ConfigureAwait(false);
            read = null;
            ended = count == 0;
            buffered.Write(chunk, 0, count);
        }

        IContainerStdin? stdin;
        try
        {
            stdin = await container.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _ = DisposeWhenReadyAsync(container);
            throw;
        }

        if (stdin is null)
        {
            return 0;
        }

        await using (stdin.ConfigureAwait(false))
        {
            long delivered = buffered.Length;
            await stdin.WriteAsync(buffered.GetBuffer().AsMemory(0, (int)buffered.Length), cancellationToken).ConfigureAwait(false);
            while (!ended)
            {
                int count = await (read ?? client.ReadAsync(chunk, cancellationToken).AsTask()).ConfigureAwait(false);
                read = null;
                ended = count == 0;
                await stdin.WriteAsync(chunk.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                delivered += count;
            }

            if (closeAtEnd)
            {
                await stdin.CloseAsync(cancellationToken).ConfigureAwait(false);
            }

            return delivered;
        }
    }

    /// <summary>A stdin that arrives after the relay gave up is closed, not leaked.</summary>
    private static async Task DisposeWhenReadyAsync(Task<IContainerStdin?> container)
    {
        try
        {
            if (await container.ConfigureAwait(false) is { } late)
            {
                await late.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Core.Errors.BerthException)
        {
            // It never came.
        }
    }
}
