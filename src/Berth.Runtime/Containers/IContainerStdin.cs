namespace Berth.Runtime.Containers;

/// <summary>A running container's stdin, as an attached client feeds it.</summary>
public interface IContainerStdin : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// The client's end of input (its half-close). conmon closes the container's stdin unless told to leave
    /// it open. Returns once the container's side lets go of the connection (the container exited), or
    /// throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
