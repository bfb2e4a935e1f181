using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>Attaching to a container's stdin and resizing its terminal.</summary>
public sealed partial class ContainerManager
{
    /// <summary>The container by its full id, or null once it is removed.</summary>
    public ContainerRecord? TryGet(string id) => _containers.GetValueOrDefault(id);

    /// <summary>The running container's stdin; Conflict when it was made without <c>OpenStdin</c> or is not running.</summary>
    public async Task<IContainerStdin> ConnectStdinAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (!record.Spec.OpenStdin)
        {
            throw new BerthException(ErrorKind.Conflict, $"container {record.Name} was created without an open stdin; create it with -i to attach to its stdin");
        }

        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        return await _runtime.ConnectStdinAsync(record.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Docker's resize: Conflict when the container is not running (moby's errNotRunning); a container
    /// without a TTY has nothing to resize and is left alone.
    /// </summary>
    public async Task ResizeAsync(string idOrName, uint height, uint width, CancellationToken cancellationToken = default)
    {
        var record = Find(idOrName);
        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        if (record.Spec.Tty)
        {
            await _runtime.ResizeAsync(record.Id, height, width, cancellationToken).ConfigureAwait(false);
        }
    }

    private static StdinMode StdinModeOf(ContainerCreateSpec spec) => spec switch
    {
        { OpenStdin: false } => StdinMode.None,
        { StdinOnce: true } => StdinMode.UntilFirstClientEnds,
        _ => StdinMode.KeptOpen,
    };
}
