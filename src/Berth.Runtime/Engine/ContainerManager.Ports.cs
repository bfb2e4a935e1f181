using System.Collections.Immutable;
using Berth.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>Published ports (<c>-p</c>, <c>-P</c>): what a container asks for, and their return after a berthd restart.</summary>
public sealed partial class ContainerManager
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
        foreach (string key in _images.Inspect(id).Config.Config?.ExposedPorts?.Keys ?? Enumerable.Empty<string>())
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
    private async Task<ContainerRecord> MovePortsOffAsync(ContainerRecord record, Network.Endpoints.EndpointState leaving, CancellationToken cancellationToken)
    {
        bool carried = record.Ports.Any(p => p.ContainerAddress.Equals(leaving.IPv4?.Address) || p.ContainerAddress.Equals(leaving.IPv6?.Address));
        if (!carried)
        {
            return record;
        }

        _networks.Withdraw(record.Id, record.Ports);
        record = record with { Ports = [] };
        return record with { Ports = await _networks.PublishAsync(record.Id, BindingsOf(record), cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>Publishes the container's ports at its start, timed: debug event 5304 (read by <c>bench/run.sh networking</c>).</summary>
    private async Task<ImmutableArray<PublishedPort>> PublishPortsAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        var bindings = BindingsOf(record);
        long begin = System.Diagnostics.Stopwatch.GetTimestamp();
        var published = await _networks.PublishAsync(record.Id, bindings, cancellationToken).ConfigureAwait(false);
        if (!published.IsEmpty)
        {
            PortsPublished(_logger, record.ShortId, published.Length, Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(begin).TotalMilliseconds, 3));
        }

        return published;
    }

    /// <summary>berthd's start: the running containers' host ports held again and their forwarding made exactly theirs.</summary>
    private void RestorePorts()
    {
        var running = _containers.Values.Where(c => c.Status == ContainerStatus.Running && !c.Ports.IsEmpty).ToDictionary(c => c.Id, c => c.Ports);
        foreach (string problem in _networks.RestorePorts(running))
        {
            PortNotRestored(_logger, problem);
        }
    }

    [LoggerMessage(EventId = 5304, Level = LogLevel.Debug, Message = "container {Id} published {Count} ports in {ElapsedMs} ms (host ports held, DNAT map elements added)")]
    private static partial void PortsPublished(ILogger logger, string id, int count, double elapsedMs);

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "published port not held again after the restart: {Problem}")]
    private static partial void PortNotRestored(ILogger logger, string problem);
}
