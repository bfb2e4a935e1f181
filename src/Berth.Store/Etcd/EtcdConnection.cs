using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;
using Grpc.Core;
using Grpc.Net.Client;

namespace Berth.Store;

/// <summary>
/// One gRPC channel per etcd endpoint, failover between them, a deadline on every call, and the one place
/// that turns gRPC failures into <see cref="BerthException"/>s.
/// Failover rules: a read moves to the next endpoint on any unavailability; a write only when it certainly
/// never left this process (the connection could not be made), because a write that timed out may still
/// commit and retrying a compare-and-swap would then report a false conflict. Either way the next call
/// starts at the next endpoint, so a partitioned member is left behind.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    // etcd's gRPC interceptor refuses a request carrying this at once with "no leader" when its member has
    // none (a minority partition), instead of waiting for a proposal that cannot commit (rpctypes.MetadataRequireLeaderKey).
    private static readonly Metadata LeaderRequired = new() { { "hasleader", "true" } };

    // A connection to a member that died without a FIN is noticed by HTTP/2 pings, not by the OS's TCP timeouts.
    private static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long an endpoint that gave no answer is tried after the others.</summary>
    private static readonly TimeSpan SilentFor = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel[] _channels;
    private readonly long[] _silentUntil;
    private readonly int _preferred;
    private int _current;

    public EtcdConnection(EtcdStoreOptions options)
    {
        if (options.Endpoints.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "etcd store: no endpoints given; name at least one etcd client URL, e.g. http://127.0.0.1:2379");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.DialTimeout <= TimeSpan.Zero)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "etcd store: request and dial timeouts must be positive; without a deadline a call to a dead etcd would hang");
        }

        Options = options;
        Endpoints = string.Join(", ", options.Endpoints);
        _channels = [.. options.Endpoints.Select(endpoint => CreateChannel(endpoint, options))];
        _silentUntil = new long[_channels.Length];
        _preferred = options.PreferredEndpoint is { } preferred
            ? options.Endpoints.IndexOf(options.Endpoints.FirstOrDefault(e => string.Equals(e.Authority, preferred.Authority, StringComparison.OrdinalIgnoreCase))!)
            : -1;
    }

    public EtcdStoreOptions Options { get; }

    /// <summary>
    /// One endpoint's share of a read's deadline: the deadline split over the endpoints, but never under
    /// <see cref="MinimumReadAttempt"/> (found with a manager cut off: each read waited the whole 5 s on another
    /// member it could not reach, and its refusal of a write took 20 s).
    /// </summary>
    private TimeSpan ReadAttempt => TimeSpan.FromTicks(Math.Max(MinimumReadAttempt.Ticks, Options.RequestTimeout.Ticks / _channels.Length));

    /// <summary>What a healthy member on a loaded machine takes at most for a listing, with room.</summary>
    private static readonly TimeSpan MinimumReadAttempt = TimeSpan.FromSeconds(1.5);

    /// <summary>The endpoints, for messages.</summary>
    public string Endpoints { get; }

    /// <summary>
    /// Runs a read, linearizable where the cluster has a leader, else served by the answering member alone (serializable).
    /// Each endpoint but the last gets a share of the deadline (<see cref="ReadAttempt"/>), so a member cut off from this
    /// node (no error ever comes) costs a read that share, not all of it, and the node's own member still answers.
    /// </summary>
    public Task<T> ReadAsync<T>(string what, Func<EtcdAttempt, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, isRead: true, call, ReadAttempt, cancellationToken);

    /// <summary>
    /// A read in which each endpoint gets at most <paramref name="attemptTimeout"/> (the last one what is left), so a
    /// member that is cut off (its packets dropped: no error ever comes) leaves time to ask the others.
    /// </summary>
    public Task<T> ReadAsync<T>(string what, TimeSpan attemptTimeout, Func<EtcdAttempt, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, isRead: true, call, attemptTimeout, cancellationToken);

    /// <summary>Runs a write; it needs a leader, so a member without quorum refuses it at once.</summary>
    public Task<T> WriteAsync<T>(string what, Func<EtcdAttempt, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, isRead: false, call, attemptTimeout: null, cancellationToken);

    /// <summary>Starts a stream (a watch, a keep-alive) on the current endpoint; the caller moves on with <see cref="Skip"/>.</summary>
    public (CallInvoker Invoker, int Index) Current()
    {
        var index = Volatile.Read(ref _current) % _channels.Length;
        return (_channels[index].CreateCallInvoker(), index);
    }

    /// <summary>Makes the endpoint after <paramref name="index"/> the current one, unless another call already moved on.</summary>
    public void Skip(int index) => Interlocked.CompareExchange(ref _current, (index + 1) % _channels.Length, index);

    /// <summary>
    /// The endpoints in the order a call tries them: the preferred one (this node's own member) first, then from the
    /// current one on, but those that did not answer at all lately (<see cref="SilentFor"/>) last. A member that
    /// answers "no leader" is skipped too, and without this a manager cut off from the others bounced between its own
    /// member (no leader, at once) and a member it cannot reach (a timeout every call): its refusal of a write took
    /// 16–20 s. Without the preference it still could (found by the long chaos round: 16.7 s when the rotation had
    /// moved to the unreachable member, as the node's failing watches move it all the time).
    /// </summary>
    private int[] AttemptOrder()
    {
        var start = Volatile.Read(ref _current);
        long now = DateTime.UtcNow.Ticks;
        return [.. Enumerable.Range(0, _channels.Length).Select(i => (start + i) % _channels.Length)
            .OrderBy(i => Volatile.Read(ref _silentUntil[i]) > now ? 1 : 0)
            .ThenBy(i => i == _preferred ? 0 : 1)];
    }

    /// <summary>
    /// etcd's own "context deadline exceeded" (gRPC Unknown): the member took the request but could not get it through
    /// consensus in time — it has just lost its leader and not noticed yet (found killing two of three members: the
    /// survivor's first answers were this, not "no leader", and reached callers as an internal error). A read is then
    /// served from the member's own copy; a write is refused as without quorum (it may still commit: never retried).
    /// </summary>
    private static bool IsStalled(RpcException error) =>
        error.StatusCode == StatusCode.Unknown && error.Status.Detail.Contains("context deadline exceeded", StringComparison.Ordinal);

    /// <summary>
    /// etcd 3.4's answer of a learner (a manager's member before its promotion): it serves no linearizable request,
    /// but the cluster may well have a leader, so the call moves on to the next member, and the learner is tried
    /// last for a while (it is this node's own member, preferred otherwise).
    /// </summary>
    private static bool IsLearner(RpcException error) =>
        error.StatusCode == StatusCode.Unavailable && error.Status.Detail.Contains("learner", StringComparison.Ordinal);

    /// <summary>The endpoint gave no answer (a timeout, no connection): tried last for a while.</summary>
    private void Silent(int index) => Volatile.Write(ref _silentUntil[index], (DateTime.UtcNow + SilentFor).Ticks);

    public static Metadata StreamHeaders => LeaderRequired;

    public StoreUnavailableException Unavailable(string what, Exception? cause) => new(
        $"etcd at {Endpoints} did not {what} within {Options.RequestTimeout.TotalSeconds:0.#} s ({Detail(cause)}); check that etcd runs there and has quorum (a majority of its members up)",
        cause);

    public BerthException Translate(string what, RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => Unavailable(what, error),
        StatusCode.InvalidArgument or StatusCode.ResourceExhausted or StatusCode.FailedPrecondition =>
            new BerthException(ErrorKind.InvalidArgument, $"etcd at {Endpoints} refused to {what}: {error.Status.Detail}", error),
        StatusCode.OutOfRange => new BerthException(ErrorKind.Conflict, $"etcd at {Endpoints} refused to {what}: {error.Status.Detail}", error),
        StatusCode.NotFound => new BerthException(ErrorKind.NotFound, $"etcd at {Endpoints} could not {what}: {error.Status.Detail}", error),
        StatusCode.PermissionDenied or StatusCode.Unauthenticated =>
            new BerthException(ErrorKind.Forbidden, $"etcd at {Endpoints} does not allow this client to {what}: {error.Status.Detail}; check the client certificate", error),
        _ => new BerthException(ErrorKind.Internal, $"etcd at {Endpoints} failed to {what}: {error.StatusCode} {error.Status.Detail}", error),
    };

    /// <summary>True if the request certainly did not reach etcd: the connection (TCP or TLS) could not be made.</summary>
    public static bool NeverSent(RpcException error)
    {
        for (Exception? e = error.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError } or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private async Task<T> RunAsync<T>(string what, bool isRead, Func<EtcdAttempt, Task<T>> call, TimeSpan? attemptTimeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Options.RequestTimeout;
        var order = AttemptOrder();
        Exception? last = null;
        for (var attempt = 0; attempt < _channels.Length && DateTime.UtcNow < deadline; attempt++)
        {
            var index = order[attempt];
            var invoker = _channels[index].CreateCallInvoker();
            var attemptDeadline = attemptTimeout is { } limit && attempt < _channels.Length - 1 && DateTime.UtcNow + limit < deadline ? DateTime.UtcNow + limit : deadline;
            try
            {
                return await RetryingAuthOldAsync(() => call(new EtcdAttempt(invoker, new CallOptions(LeaderRequired, attemptDeadline, cancellationToken), Serializable: false)), attemptDeadline, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline, not the caller: a streaming call's write gives up this way, not as DeadlineExceeded.
                last = e;
                Silent(index);
                Skip(index);
                if (!isRead)
                {
                    break;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded || NeverSent(e) || IsStalled(e))
            {
                // A refused TLS handshake (gRPC reports it as Internal) is a member we cannot use, like a closed port.
                last = e;
                if (e.StatusCode == StatusCode.DeadlineExceeded || NeverSent(e) || IsLearner(e))
                {
                    Silent(index);
                }

                Skip(index);
                if (IsLearner(e))
                {
                    continue;
                }

                if (isRead && !NeverSent(e) && (e.StatusCode == StatusCode.Unavailable || IsStalled(e)) && DateTime.UtcNow < deadline)
                {
                    // The member is up but has no leader: answer from its own copy, as a cluster without quorum still reads.
                    try
                    {
                        return await call(new EtcdAttempt(invoker, new CallOptions(null, attemptDeadline, cancellationToken), Serializable: true)).ConfigureAwait(false);
                    }
                    catch (RpcException serializable) when (serializable.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Unknown)
                    {
                        // Unknown: etcd's own "context deadline exceeded", a member without a leader that waited for one
                        // (a keep-alive cannot be served from its copy). Either way this member cannot answer now.
                        last = serializable;
                    }
                    catch (OperationCanceledException serializable) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The deadline while the channel still waited for a connection (its picker): no answer either.
                        last = serializable;
                    }
                    catch (RpcException serializable)
                    {
                        // No raw gRPC error leaves the store: callers handle BerthExceptions (found with a manager cut
                        // off: a keep-alive's Unknown escaped and ended the loop keeping the node's endpoint records alive).
                        throw Translate(what, serializable);
                    }
                }
                else if (!isRead && !NeverSent(e))
                {
                    break;
                }
            }
            catch (RpcException e)
            {
                throw Translate(what, e);
            }
        }

        throw Unavailable(what, last);
    }

    /// <summary>
    /// etcd refuses a request whose auth check raced a change of users or roles ("revision of auth store is old",
    /// InvalidArgument) before applying it; the request is safe to send again, as etcd's own client does.
    /// </summary>
    internal static async Task<T> RetryingAuthOldAsync<T>(Func<Task<T>> call, DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.Contains(AuthOldRevision, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(AuthOldRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private const string AuthOldRevision = "revision of auth store is old";

    private static readonly TimeSpan AuthOldRetry = TimeSpan.FromMilliseconds(20);

    private static string Detail(Exception? cause) => cause switch
    {
        null => "no endpoint answered in time",
        RpcException { StatusCode: StatusCode.DeadlineExceeded } => "deadline exceeded",
        RpcException rpc when rpc.Status.DebugException is { } debug => $"{rpc.Status.Detail}: {debug.GetBaseException().Message}",
        RpcException rpc => rpc.Status.Detail,
        _ => cause.Message,
    };

    private static GrpcChannel CreateChannel(Uri endpoint, EtcdStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.DialTimeout,
            KeepAlivePingDelay = KeepAlivePingDelay,
            KeepAlivePingTimeout = KeepAlivePingDelay,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = options.ClientCertificate is { } certificate ? [certificate] : null,
                LocalCertificateSelectionCallback = options.ClientCertificateSource is { } source ? (_, _, _, _, _) => source() : null,
                RemoteCertificateValidationCallback = options.TrustedCa is { } ca
                    ? (_, certificate, _, errors) => IsSignedBy(certificate, [ca, .. options.MoreTrustedCas], errors)
                    : null,
            };
        }
        else if (endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"etcd endpoint {endpoint}: the scheme must be http or https");
        }

        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            ThrowOperationCanceledOnCancellation = true,
            // Watch responses of big transactions exceed gRPC's default 4 MB; etcd's own limit is 1.5 MB per request, far more per response.
            MaxReceiveMessageSize = null,
        });
    }

    // The member's certificate must chain to the cluster's CA (or, rotating, one of its roots) alone (not to any root the machine trusts) and name the host dialled.
    private static bool IsSignedBy(X509Certificate? presented, X509Certificate2[] roots, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }
}

/// <summary>One try of a call on one endpoint: the invoker, the options (deadline, leader requirement), and whether a read may be served by that member alone.</summary>
internal readonly record struct EtcdAttempt(CallInvoker Invoker, CallOptions Options, bool Serializable);
