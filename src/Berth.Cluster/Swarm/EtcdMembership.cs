using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Core.Errors;
using Authpb;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Berth.Cluster.Swarm;

/// <summary>
/// etcd's Cluster and Auth services over gRPC with the node's certificate (mutual TLS): members listed, learners added
/// and promoted, members removed; users and roles for nodes. Each call tries the endpoints in order until one answers,
/// within a deadline.
/// </summary>
public sealed class EtcdMembership : IEtcdCluster, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel[] _channels;
    private readonly string _endpoints;

    /// <param name="clientCertificate">The certificate to present (mutual TLS); null for none.</param>
    /// <param name="ca">The CA a member's certificate must chain to (and nothing else); null: the system's roots decide.</param>
    public EtcdMembership(IEnumerable<Uri> endpoints, X509Certificate2? clientCertificate, X509Certificate2? ca)
        : this(endpoints, clientCertificate, ca is null ? null : new X509Certificate2Collection(ca))
    {
    }

    /// <summary>Members whose certificate chains to any of <paramref name="ca"/> (both roots during a root rotation).</summary>
    /// <param name="clientCertificateSource">When set, asked at each handshake instead (a swarm node's certificate is renewed while this runs).</param>
    public EtcdMembership(IEnumerable<Uri> endpoints, X509Certificate2? clientCertificate, X509Certificate2Collection? ca, Func<X509Certificate2>? clientCertificateSource = null)
    {
        _endpoints = string.Join(", ", endpoints);
        _channels = [.. endpoints.Select(endpoint => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = DialTimeout,
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    LocalCertificateSelectionCallback = clientCertificateSource is null ? null : (_, _, _, _, _) => clientCertificateSource(),
                    RemoteCertificateValidationCallback = ca is null ? null : (_, certificate, _, _) => certificate is not null && Pki.CaTrust.ChainsTo(certificate, ca),
                },
            },
            DisposeHttpClient = true,
        }))];
    }

    public Task<IReadOnlyList<EtcdMemberInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        CallAsync("list its members", async (client, options) =>
        {
            var response = await client.MemberListAsync(new MemberListRequest(), options).ConfigureAwait(false);
            return (IReadOnlyList<EtcdMemberInfo>)[.. response.Members.Select(Info)];
        }, cancellationToken);

    /// <summary>The etcd cluster's id (hex), as every response's header carries it: what tells one etcd cluster from another.</summary>
    public Task<string> ClusterIdAsync(CancellationToken cancellationToken = default) =>
        CallAsync("tell its cluster id", async (invoker, options) =>
        {
            StatusResponse status = await new Maintenance.MaintenanceClient(invoker).StatusAsync(new StatusRequest(), options).ConfigureAwait(false);
            return status.Header.ClusterId.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<EtcdMemberInfo> AddLearnerAsync(Uri peerUrl, CancellationToken cancellationToken = default) =>
        CallAsync($"add a learner at {peerUrl}", async (client, options) =>
        {
            var request = new MemberAddRequest { IsLearner = true };
            request.PeerURLs.Add(peerUrl.GetLeftPart(UriPartial.Authority));
            var response = await client.MemberAddAsync(request, options).ConfigureAwait(false);
            return Info(response.Member);
        }, cancellationToken);

    /// <summary>
    /// Sent to the leader itself: a member that is not the leader forwards a promotion to it over the peer
    /// connection without the caller's identity, and with auth on (<see cref="EnableAuthAsync"/>) etcd 3.4's leader
    /// refuses that as "user name is empty"; the follower retries until its request timeout and answers "request
    /// timed out", however often it is asked.
    /// </summary>
    public async Task PromoteAsync(ulong memberId, CancellationToken cancellationToken = default)
    {
        string what = $"promote member {memberId:x}";
        GrpcChannel leader = await LeaderAsync(what, cancellationToken).ConfigureAwait(false);
        await CallAsync(what, [leader], async (invoker, options) =>
        {
            await new Etcdserverpb.Cluster.ClusterClient(invoker).MemberPromoteAsync(new MemberPromoteRequest { ID = memberId }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task RemoveAsync(ulong memberId, CancellationToken cancellationToken = default) =>
        CallAsync($"remove member {memberId:x}", async (client, options) =>
        {
            await client.MemberRemoveAsync(new MemberRemoveRequest { ID = memberId }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public async Task EnableAuthAsync(NodeId manager, CancellationToken cancellationToken = default)
    {
        await AddUserAsync(RootUser, cancellationToken).ConfigureAwait(false);
        await GrantAsync(RootUser, RootRole, cancellationToken).ConfigureAwait(false);
        await AllowAsync(manager, ClusterRole.Manager, cancellationToken).ConfigureAwait(false);
        await CallAsync("enable auth", async (invoker, options) =>
        {
            await new Etcdserverpb.Auth.AuthClient(invoker).AuthEnableAsync(new AuthEnableRequest(), options).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task AllowAsync(NodeId node, ClusterRole role, CancellationToken cancellationToken = default)
    {
        string user = node.Value;
        string own = "node-" + user;
        await AddUserAsync(user, cancellationToken).ConfigureAwait(false);
        if (role == ClusterRole.Manager)
        {
            await GrantAsync(user, RootRole, cancellationToken).ConfigureAwait(false);
            await IgnoringAsync(() => RevokeAsync(user, own, cancellationToken)).ConfigureAwait(false);
            return;
        }

        // A worker reads the cluster's keys and writes its heartbeat, its overlay endpoints and their address claims, its tasks' states; nothing else (not the CA key's neighbours, not other nodes' records).
        await IgnoringAsync(() => CallAsync($"add role {own}", async (invoker, options) =>
        {
            await new Etcdserverpb.Auth.AuthClient(invoker).RoleAddAsync(new AuthRoleAddRequest { Name = own }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken)).ConfigureAwait(false);
        byte[] prefix = Encoding.UTF8.GetBytes(ClusterKeys.StorePrefix);
        await PermitAsync(own, Permission.Types.Type.Read, prefix, RangeEnd(prefix), cancellationToken).ConfigureAwait(false);
        await PermitAsync(own, Permission.Types.Type.Readwrite, Encoding.UTF8.GetBytes(ClusterKeys.StorePrefix + ClusterKeys.Heartbeat(node)), [], cancellationToken).ConfigureAwait(false);

        // Its containers on overlay networks: their endpoint records (its own only) and their address claims; its tasks' reported states.
        foreach (string range in new[] { ClusterKeys.NetworkEndpointsOf(node), ClusterKeys.AddressClaims, ClusterKeys.TaskStatusesOf(node) })
        {
            byte[] start = Encoding.UTF8.GetBytes(ClusterKeys.StorePrefix + range);
            await PermitAsync(own, Permission.Types.Type.Readwrite, start, RangeEnd(start), cancellationToken).ConfigureAwait(false);
        }

        await GrantAsync(user, own, cancellationToken).ConfigureAwait(false);
        await IgnoringAsync(() => RevokeAsync(user, RootRole, cancellationToken)).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private Task<T> CallAsync<T>(string what, Func<Etcdserverpb.Cluster.ClusterClient, CallOptions, Task<T>> call, CancellationToken cancellationToken) =>
        CallAsync(what, (CallInvoker invoker, CallOptions options) => call(new Etcdserverpb.Cluster.ClusterClient(invoker), options), cancellationToken);

    private Task<T> CallAsync<T>(string what, Func<CallInvoker, CallOptions, Task<T>> call, CancellationToken cancellationToken) =>
        CallAsync(what, _channels, call, cancellationToken);

    /// <summary>The endpoint whose member leads (its status names itself as the leader); Unavailable while none does.</summary>
    private async Task<GrpcChannel> LeaderAsync(string what, CancellationToken cancellationToken)
    {
        foreach (var channel in _channels)
        {
            try
            {
                StatusResponse status = await CallAsync(what, [channel], async (invoker, options) =>
                    await new Maintenance.MaintenanceClient(invoker).StatusAsync(new StatusRequest(), options).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                if (status.Leader != 0 && status.Leader == status.Header.MemberId)
                {
                    return channel;
                }
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
            {
                // That member is down; another may lead.
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"etcd at {_endpoints} has no leader among these endpoints to {what}; try again once one is elected");
    }

    private async Task<T> CallAsync<T>(string what, IReadOnlyList<GrpcChannel> channels, Func<CallInvoker, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CallTimeout;
        RpcException? last = null;
        foreach (var channel in channels)
        {
            try
            {
                return await call(channel.CreateCallInvoker(), new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                last = e;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition)
            {
                // etcd: "can only promote a learner member which is in sync with leader", "too many learner members".
                throw new BerthException(ErrorKind.Conflict, $"etcd at {_endpoints} refused to {what}: {e.Status.Detail}", e);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound)
            {
                throw new BerthException(ErrorKind.NotFound, $"etcd at {_endpoints} could not {what}: {e.Status.Detail}", e);
            }
            catch (RpcException e)
            {
                throw new BerthException(ErrorKind.Internal, $"etcd at {_endpoints} failed to {what}: {e.StatusCode} {e.Status.Detail}", e);
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"etcd at {_endpoints} did not {what} within {CallTimeout.TotalSeconds:0} s ({last?.Status.Detail ?? "no endpoint answered"})", last);
    }

    /// <summary>etcd's names: auth needs a user "root" with the role "root" (the password is never used: clients authenticate by certificate).</summary>
    private const string RootUser = "root";
    private const string RootRole = "root";

    private Task AddUserAsync(string user, CancellationToken cancellationToken) => IgnoringAsync(() => CallAsync($"add user {user}", async (invoker, options) =>
    {
        await new Etcdserverpb.Auth.AuthClient(invoker).UserAddAsync(
            new AuthUserAddRequest { Name = user, Options = new Authpb.UserAddOptions { NoPassword = true } }, options).ConfigureAwait(false);
        return true;
    }, cancellationToken));

    private Task GrantAsync(string user, string role, CancellationToken cancellationToken) => CallAsync($"grant role {role} to {user}", async (invoker, options) =>
    {
        await new Etcdserverpb.Auth.AuthClient(invoker).UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = user, Role = role }, options).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    private Task RevokeAsync(string user, string role, CancellationToken cancellationToken) => CallAsync($"revoke role {role} of {user}", async (invoker, options) =>
    {
        await new Etcdserverpb.Auth.AuthClient(invoker).UserRevokeRoleAsync(new AuthUserRevokeRoleRequest { Name = user, Role = role }, options).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    private Task PermitAsync(string role, Permission.Types.Type type, byte[] key, byte[] rangeEnd, CancellationToken cancellationToken) =>
        CallAsync($"let role {role} use {Encoding.UTF8.GetString(key)}", async (invoker, options) =>
        {
            await new Etcdserverpb.Auth.AuthClient(invoker).RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
            {
                Name = role,
                Perm = new Permission { PermType = type, Key = ByteString.CopyFrom(key), RangeEnd = ByteString.CopyFrom(rangeEnd) },
            }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>"already exists", "not granted": the goal holds already (etcd answers FailedPrecondition, here Conflict, or NotFound).</summary>
    private static async Task IgnoringAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
        {
        }
    }

    /// <summary>etcd's prefix range end: the last byte below 0xff incremented.</summary>
    private static byte[] RangeEnd(byte[] prefix)
    {
        byte[] end = (byte[])prefix.Clone();
        end[^1]++;
        return end;
    }

    private static EtcdMemberInfo Info(Member member) => new(
        member.ID,
        member.Name,
        [.. member.PeerURLs.Select(url => new Uri(url))],
        [.. member.ClientURLs.Select(url => new Uri(url))],
        member.IsLearner);
}
