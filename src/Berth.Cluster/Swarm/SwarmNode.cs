using Berth.Cluster.Identity;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>
/// This node's swarm (<see cref="ISwarm"/>): init, join, leave, the cluster and node records, and while it is in a
/// swarm its <see cref="Session"/> — the connection to the cluster store (on a manager, its etcd member), its
/// heartbeat and leadership (<see cref="SwarmLiveness"/>) and, on a manager, the join service. Init, join, leave and
/// the resume after a restart take one gate; reads do not.
/// </summary>
public sealed partial class SwarmNode(SwarmPaths paths, SwarmHostFacts host, IClusterBackend backend, IJoinListener? joinListener, TimeProvider time, ILogger logger)
    : ISwarm, IAsyncDisposable
{
    private static readonly TimeSpan ResumeRetry = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private LocalSwarmState? _state;
    private Session? _session;
    private string _error = "";
    private Task? _resume;

    /// <summary>
    /// Told (synchronously, from the swarm's own flow: do not call back into this node) when a session opens or closes:
    /// init, join, resume after a restart, a role change, a root rotation's reopening, leave.
    /// </summary>
    public event Action<SwarmSessionFacts?>? SessionChanged;

    /// <summary>The live session's facts, or null outside a swarm (or while its session is being opened).</summary>
    public SwarmSessionFacts? SessionFacts => Volatile.Read(ref _session) is { } session && Volatile.Read(ref _state) is { } state ? Facts(session, state) : null;

    public SwarmLocalStatus Local
    {
        get
        {
            var state = Volatile.Read(ref _state);
            if (state is null)
            {
                return SwarmLocalStatus.Inactive;
            }

            var phase = Volatile.Read(ref _session) is not null ? SwarmLocalState.Active : _error.Length > 0 ? SwarmLocalState.Error : SwarmLocalState.Pending;
            return new SwarmLocalStatus(phase, state.Node, state.AdvertiseAddress, state.Role, phase == SwarmLocalState.Active ? "" : _error);
        }
    }

    /// <summary>At berthd's start: a node that was in a swarm goes back into it (in the background; it answers meanwhile as pending).</summary>
    public void Start()
    {
        if (!File.Exists(paths.StateFile))
        {
            if (Directory.Exists(paths.Directory))
            {
                // An init or join that died before its last step (the state file is written last).
                SwarmStateFile.Delete(paths);
                SwarmLog.HalfMadeRemoved(logger, paths.Directory);
            }

            return;
        }

        _state = SwarmStateFile.Load(paths);
        _resume = ResumeAsync(_disposing.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync().ConfigureAwait(false);
        if (_resume is not null)
        {
            await _resume.ConfigureAwait(false);
        }

        if (_renewer is not null)
        {
            await _renewer.ConfigureAwait(false);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_session is { } session)
            {
                SetSession(null);
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        _disposing.Dispose();
    }

    private async Task ResumeAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await _gate.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                if (_state is not { } state || _session is not null)
                {
                    return;
                }

                await CheckOwnStoreAsync(state, stopping).ConfigureAwait(false);
                SetSession(await OpenSessionAsync(state, stopping).ConfigureAwait(false));
                _error = "";
                SwarmLog.Resumed(logger, state.Cluster.Value, state.Role.ToString(), state.Node.Value);
                return;
            }
            catch (BerthException e)
            {
                _error = e.Message;
                SwarmLog.ResumeFailed(logger, ResumeRetry, e);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _gate.Release();
            }

            try
            {
                await Task.Delay(ResumeRetry, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SetSession(Session? session)
    {
        Volatile.Write(ref _session, session);
        if (session is not null)
        {
            StartRenewer();
        }

        if (SessionChanged is { } changed)
        {
            changed(session is not null && Volatile.Read(ref _state) is { } state ? Facts(session, state) : null);
        }
    }

    private static SwarmSessionFacts Facts(Session session, LocalSwarmState state) => new()
    {
        Store = session.Connection.Store,
        Leases = session.Connection.Leases,
        Node = state.Node,
        Role = state.Role,
        AdvertiseAddress = state.AdvertiseAddress,
        DataPathAddress = state.DataPathAddress,
        DefaultAddrPool = session.Cluster?.DefaultAddrPool ?? ClusterRecord.DefaultAddressPool,
        SubnetSize = session.Cluster?.SubnetSize ?? ClusterRecord.DefaultSubnetSize,
        DataPathPort = session.Cluster?.DataPathPort ?? ClusterRecord.DefaultDataPathPort,
    };

    private async Task<Session> OpenSessionAsync(LocalSwarmState state, CancellationToken cancellationToken)
    {
        long lap = System.Diagnostics.Stopwatch.GetTimestamp();
        IClusterConnection connection = await backend.OpenAsync(state, paths, cancellationToken).ConfigureAwait(false);
        try
        {
            lap = Lap("session", "cluster connection", lap);
            IAsyncDisposable? listener = null;
            if (state.Role == ClusterRole.Manager && joinListener is not null)
            {
                // The cluster's root only (the first of the bundle during a rotation): the one join tokens pin.
                listener = await joinListener.ListenAsync(
                    new System.Net.IPEndPoint(System.Net.IPAddress.Parse(state.AdvertiseAddress), JoinClient.DefaultPort),
                    () => _credentials.Current().Certificate, Pki.CaBundle.Primary(await File.ReadAllTextAsync(paths.CaFile, cancellationToken).ConfigureAwait(false)),
                    new JoinService(this), cancellationToken).ConfigureAwait(false);
                Lap("session", "join service", lap);
            }

            RefreshTlsReport();
            var cluster = await connection.Store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false) is { } entry ? SwarmRecords.Cluster(entry.Value) : null;
            return new Session(connection, cluster, new SwarmLiveness(connection, state.Node, state.Role, logger, RoleChanged,
                () => Volatile.Read(ref _tlsReport), cancellationToken => LookAtRotationAsync(connection, cancellationToken)), listener);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The live session of a manager, or Docker's 503 for a node that is none (or not connected yet).</summary>
    private (LocalSwarmState State, Session Session) Manager()
    {
        var state = Volatile.Read(ref _state);
        var session = Volatile.Read(ref _session);
        if (state is null || session is null || state.Role != ClusterRole.Manager)
        {
            throw SwarmErrors.NotManager();
        }

        return (state, session);
    }

    /// <summary>A write to the cluster store; one the store cannot commit (no quorum) is Docker's "no leader" 503.</summary>
    private static async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
        {
            throw SwarmErrors.Quorum(e);
        }
    }

    /// <summary>The join service a manager's listener serves: this node's admission and renewal.</summary>
    private sealed class JoinService(SwarmNode node) : IJoinService
    {
        public Task<JoinAnswer> AdmitAsync(JoinRequest request, CancellationToken cancellationToken) => node.AdmitAsync(request, cancellationToken);

        public Task<JoinAnswer> RenewAsync(RenewRequest request, System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate, CancellationToken cancellationToken) =>
            node.RenewAsync(request, clientCertificate, cancellationToken);
    }

    private sealed class Session(IClusterConnection connection, ClusterRecord? cluster, SwarmLiveness liveness, IAsyncDisposable? listener) : IAsyncDisposable
    {
        public IClusterConnection Connection => connection;

        /// <summary>The cluster record as the session found it (its data-path settings); set by init, which writes it after opening.</summary>
        public ClusterRecord? Cluster { get; set; } = cluster;

        public IStateStore Store => connection.Store;

        public SwarmLiveness Liveness => liveness;

        /// <summary>Stops the join service and the heartbeat (revoking the lease), then the connection (and etcd member).</summary>
        public ValueTask DisposeAsync() => CloseAsync(_ => Task.CompletedTask);

        /// <summary>Like <see cref="DisposeAsync"/>, but before the connection goes, <paramref name="beforeDisconnect"/> runs (a manager removes its member).</summary>
        /// <remarks>The connection (and with it the etcd member) goes whatever failed before it: a member must never outlive its node's part in the swarm.</remarks>
        public async ValueTask CloseAsync(Func<IClusterConnection, Task> beforeDisconnect)
        {
            try
            {
                if (listener is not null)
                {
                    await listener.DisposeAsync().ConfigureAwait(false);
                }

                await liveness.DisposeAsync().ConfigureAwait(false);
                await beforeDisconnect(connection).ConfigureAwait(false);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
