using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Ports;
using Berth.Network.Containers;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>Published ports (<c>-p</c>, <c>-P</c>): what a container asks for, their publishing at its start, their move when it leaves the network that carried them, and their return after a berthd restart.</summary>
public sealed partial class ContainerPorts(ImageStore images, ContainerNetworks networks, ILogger logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ImmutableArray<ContainerPort>> _imagePorts = new(StringComparer.Ordinal);

    /// <summary>Every port the container exposes: the image's, then its own (<c>--expose</c>, <c>-p</c>), each once, in Docker's order.</summary>
    public ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ports = new List<ContainerPort>(ImageExposedPorts(record.ImageId));
        ports.AddRange(record.Spec.ExposedPorts);
        ports.AddRange(record.Spec.PortBindings.Select(b => b.Port));
        var distinct = ports.Distinct().ToList();
        distinct.Sort(ContainerPort.Order);
        return [.. distinct];
    }

    /// <summary>
    /// The image's own exposed ports, read once per image: an image id names immutable content, and ps asks for
    /// every container (without this, one config blob read and parsed per row).
    /// </summary>
    private ImmutableArray<ContainerPort> ImageExposedPorts(string imageId) => _imagePorts.GetOrAdd(imageId, id =>
    {
        var ports = ImmutableArray.CreateBuilder<ContainerPort>();
        foreach (string key in images.Inspect(id).Config.Config?.ExposedPorts?.Keys ?? Enumerable.Empty<string>())
        {
            try
            {
                ports.Add(ContainerPort.Parse(key, "image ExposedPorts"));
            }
            catch (Core.Errors.BerthException)
            {
                // An image's own odd entry (sctp, a range) is shown by inspect as it is and never published.
            }
        }

        return ports.ToImmutable();
    });

    /// <summary>The bindings to publish at start: <c>-p</c> as given, plus <c>-P</c>'s free host port for every other exposed port.</summary>
    private List<PortBinding> BindingsOf(ContainerRecord record)
    {
        var bindings = new List<PortBinding>(record.Spec.PortBindings);
        if (record.Spec.PublishAllPorts)
        {
            var bound = bindings.Select(b => b.Port).ToHashSet();
            bindings.AddRange(ExposedPortsOf(record).Where(p => !bound.Contains(p)).Select(p => new PortBinding(p, null, 0, 0)));
        }

        return bindings;
    }

    /// <summary>
    /// A running container disconnected from the network that carried its published ports: they are withdrawn and
    /// published again on its next bridge network, if it has one (host ports given by number stay the same).
    /// </summary>
    public async Task<ContainerRecord> MoveOffAsync(ContainerRecord record, Network.Endpoints.EndpointState leaving, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(leaving);
        bool carried = record.Ports.Any(p => p.ContainerAddress.Equals(leaving.IPv4?.Address) || p.ContainerAddress.Equals(leaving.IPv6?.Address));
        if (!carried)
        {
            return record;
        }

        networks.Withdraw(record.Id.Value, record.Ports);
        record = record with { Ports = [] };
        return record with { Ports = await networks.PublishAsync(record.Id.Value, BindingsOf(record), cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>Publishes the container's ports at its start, timed: debug event 5304 (read by <c>bench/run.sh networking</c>).</summary>
    public async Task<ImmutableArray<PublishedPort>> PublishAsync(ContainerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bindings = BindingsOf(record);
        long begin = System.Diagnostics.Stopwatch.GetTimestamp();
        var published = await networks.PublishAsync(record.Id.Value, bindings, cancellationToken).ConfigureAwait(false);
        if (!published.IsEmpty)
        {
            PortsPublished(logger, record.ShortId, published.Length, Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(begin).TotalMilliseconds, 3));
        }

        return published;
    }

    /// <summary>Withdraws what a run published (its exit, its removal, a failed start).</summary>
    public void Withdraw(ContainerId id, IReadOnlyCollection<PublishedPort> published) => networks.Withdraw(id.Value, published);

    /// <summary>berthd's start: the running containers' host ports held again and their forwarding made exactly theirs.</summary>
    public void Restore(IEnumerable<ContainerRecord> records)
    {
        var running = records.Where(c => c.Status == ContainerStatus.Running && !c.Ports.IsEmpty).ToDictionary(c => c.Id.Value, c => c.Ports);
        foreach (string problem in networks.RestorePorts(running))
        {
            PortNotRestored(logger, problem);
        }
    }

    [LoggerMessage(EventId = 5304, Level = LogLevel.Debug, Message = "container {Id} published {Count} ports in {ElapsedMs} ms (host ports held, DNAT map elements added)")]
    private static partial void PortsPublished(ILogger logger, string id, int count, double elapsedMs);

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "published port not held again after the restart: {Problem}")]
    private static partial void PortNotRestored(ILogger logger, string problem);
}
