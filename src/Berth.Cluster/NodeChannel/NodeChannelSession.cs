using System.Net;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.NodeChannel;

/// <summary>
/// The node channel on this node, following its swarm session like <see cref="Services.SwarmServices"/>: while a
/// session is open (manager or worker) it listens on the advertise address, port <see cref="Port"/>; a session that
/// closes stops it. A listener that cannot start (the port in use) is logged, and the session goes on without it:
/// only the logs of this node's tasks are missing then.
/// </summary>
public sealed class NodeChannelSession : IAsyncDisposable
{
    /// <summary>The port Docker's documentation already has users open between nodes (its gossip's); Berth has no gossip.</summary>
    public const int Port = 7946;

    private readonly SwarmNode _swarm;
    private readonly INodeChannelListener _listener;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private SwarmSessionFacts? _facts;
    private Task<IAsyncDisposable?> _running = Task.FromResult<IAsyncDisposable?>(null);

    public NodeChannelSession(SwarmNode swarm, SwarmPaths paths, INodeChannelListener listener, ILogger logger)
    {
        _swarm = swarm;
        _listener = listener;
        _logger = logger;
        Credentials = new NodeChannelCredentialSource(paths);
        swarm.SessionChanged += OnSession;
    }

    /// <summary>This node's certificate and the cluster's roots, for the channel's clients too.</summary>
    public NodeChannelCredentialSource Credentials { get; }

    /// <summary>This node's id while a session is open.</summary>
    public NodeId? LocalNode => Volatile.Read(ref _facts)?.Node;

    /// <summary>Starts at once if the swarm already has a session (else at its next).</summary>
    public void Start()
    {
        if (_swarm.SessionFacts is { } facts)
        {
            OnSession(facts);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _swarm.SessionChanged -= OnSession;
        Task<IAsyncDisposable?> running;
        lock (_lock)
        {
            running = _running;
            _running = Task.FromResult<IAsyncDisposable?>(null);
            _facts = null;
        }

        if (await running.ConfigureAwait(false) is { } listening)
        {
            await listening.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnSession(SwarmSessionFacts? facts)
    {
        lock (_lock)
        {
            if (_facts is { } old && facts is not null && old.Node == facts.Node && old.AdvertiseAddress == facts.AdvertiseAddress)
            {
                _facts = facts;
                return;
            }

            _facts = facts;
            var previous = _running;
            // Chained: the old listener is gone before the new one binds the same port.
            _running = Task.Run(async () =>
            {
                if (await previous.ConfigureAwait(false) is { } old)
                {
                    await old.DisposeAsync().ConfigureAwait(false);
                    NodeChannelLog.Stopped(_logger);
                }

                return facts is null ? null : await ListenAsync(facts).ConfigureAwait(false);
            });
        }
    }

    private async Task<IAsyncDisposable?> ListenAsync(SwarmSessionFacts facts)
    {
        if (!IPAddress.TryParse(facts.AdvertiseAddress, out var address))
        {
            NodeChannelLog.NotListening(_logger, facts.AdvertiseAddress, Port, "the advertise address is not an IP address");
            return null;
        }

        var endpoint = new IPEndPoint(address, Port);
        try
        {
            var listening = await _listener.ListenAsync(endpoint, Credentials).ConfigureAwait(false);
            NodeChannelLog.Listening(_logger, endpoint.ToString());
            return listening;
        }
        catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.Unavailable or ErrorKind.InvalidArgument)
        {
            NodeChannelLog.NotListening(_logger, facts.AdvertiseAddress, Port, e.Message);
            return null;
        }
    }
}
