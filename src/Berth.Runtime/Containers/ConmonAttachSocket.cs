using System.Globalization;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>
/// A connection to conmon's attach socket (<c>BUNDLE/attach</c>, SOCK_SEQPACKET; conmon 2.1.6
/// <c>conn_sock.c</c>). What is sent goes to the container's stdin (the pty with a TTY); the end of our
/// sending is the end of the client's input, on which conmon closes the container's stdin unless it
/// runs with <c>--leave-stdin-open</c>. conmon also sends each attached socket the container's output
/// (one byte of pipe number, then the bytes) with blocking writes: the output is read and dropped here
/// (Berth streams output from the log), else a full socket buffer would stall the container's output.
/// </summary>
public sealed class ConmonAttachSocket : IContainerStdin
{
    /// <summary>
    /// conmon reads one message into a CONN_SOCK_BUF_SIZE (32768) buffer and SEQPACKET drops what does
    /// not fit, so messages stay well below it. An empty message would read as the end of input: none is sent.
    /// </summary>
    public const int MaxMessageBytes = 8192;

    private readonly Socket _socket;
    private readonly Task _drain;

    private ConmonAttachSocket(Socket socket)
    {
        _socket = socket;
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Connects to the attach socket in <paramref name="paths"/>' bundle (the path may exceed sun_path: it is reached through /proc/self/fd).</summary>
    public static async Task<ConmonAttachSocket> ConnectAsync(ContainerPaths paths, CancellationToken cancellationToken = default)
    {
        using SafeFileHandle directory = Libc.OpenHandle(paths.Directory, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (directory.IsInvalid)
        {
            throw new BerthException(ErrorKind.NotFound, $"cannot open container bundle {paths.Directory}: {Libc.Describe(Libc.LastErrno())}");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            string path = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{directory.DangerousGetHandle()}/{ContainerPaths.AttachSocketName}");
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new BerthException(ErrorKind.Conflict, $"cannot attach to the container's stdin ({paths.AttachSocket}): {e.Message}; is it running?");
        }

        return new ConmonAttachSocket(socket);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            int size = Math.Min(data.Length, MaxMessageBytes);
            await _socket.SendAsync(data[..size], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[size..];
        }
    }

    /// <summary>
    /// Sends the end of input, then keeps the connection open, its output drained, until conmon closes it
    /// (the container exited) or <paramref name="cancellationToken"/> fires (the attach is over). Closing
    /// at once is not safe: when conmon 2.1.6 writes the container's output back to a connection already
    /// closed and then reads its end of input, it frees the connection's record before it looks at it
    /// (<c>remote_sock_shutdown</c> then <c>terminate_remote_sock</c>, a use after free) and so leaves the
    /// container's stdin open: <c>docker run -i … cat</c> would never end.
    /// </summary>
    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        _socket.Shutdown(SocketShutdown.Send);
        await _drain.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _drain.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        byte[] buffer = new byte[32 * 1024];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by conmon (the container exited) or by us.
        }
    }
}
