using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Containers;

/// <summary>Attaching to a running container's stdin, and resizing its pty, through conmon.</summary>
public sealed partial class ContainerRuntime
{
    /// <summary>conmon <c>config.h</c> WIN_RESIZE_EVENT: the control fifo's message type for a pty resize.</summary>
    private const int WindowResizeEvent = 1;

    /// <summary>Where the runtime's tools are and how they are configured.</summary>
    public ContainerRuntimeOptions Options => options;

    /// <summary>Connects to the stdin of a container that runs with <see cref="ContainerSpec.Stdin"/> (Conflict when it is not running).</summary>
    public async Task<IContainerStdin> ConnectStdinAsync(string id, CancellationToken cancellationToken = default)
    {
        ContainerPaths paths = await PathsOfAsync(id, cancellationToken).ConfigureAwait(false);
        return await ConmonAttachSocket.ConnectAsync(paths, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resizes the pty of a running container made with a TTY (a line on conmon's control fifo).</summary>
    public async Task ResizeAsync(string id, uint height, uint width, CancellationToken cancellationToken = default)
    {
        ContainerPaths paths = await PathsOfAsync(id, cancellationToken).ConfigureAwait(false);

        // Non-blocking: with conmon gone the fifo has no reader and open fails (ENXIO) instead of waiting for one.
        using SafeFileHandle fifo = Libc.OpenHandle(paths.ControlFifo, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fifo.IsInvalid)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(errno is Errno.ENXIO or Errno.ENOENT ? ErrorKind.Conflict : ErrorKind.Internal,
                $"cannot resize the terminal of container {id}: {Libc.Describe(errno)}; is it running?");
        }

        byte[] line = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{WindowResizeEvent} {height} {width}\n"));
        using var stream = new FileStream(fifo, FileAccess.Write, bufferSize: 0);
        await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The container's bundle paths: known since its create, or (a container adopted after berthd's restart) asked of
    /// runc once and kept. Every exit watcher asks each second while its container runs: asking runc each time, a
    /// berthd with 500 adopted containers ran hundreds of <c>runc state</c> a second (the scale test's long round: load
    /// 240, <c>/_ping</c> 2–13 s).
    /// </summary>
    private async Task<ContainerPaths> PathsOfAsync(string id, CancellationToken cancellationToken)
    {
        if (bundles.GetValueOrDefault(id) is { } known)
        {
            return known;
        }

        return Runc.Exists(id)
            ? ImmutableInterlocked.GetOrAdd(ref bundles, id, new ContainerPaths((await StateAsync(id, cancellationToken).ConfigureAwait(false)).Bundle))
            : throw new BerthException(ErrorKind.NotFound, $"no such container: {id}");
    }
}
