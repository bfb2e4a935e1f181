using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace Berth.Cluster.Swarm;

/// <summary>
/// etcd's Cluster service over gRPC with the node's certificate (mutual TLS): members listed, learners added and
/// promoted, members removed. Each call tries the endpoints in order until one answers, within a deadline.
/// </summary>
public sealed class EtcdMembership : IEtcdCluster, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(1);

    private readonly GrpcChannel[] _channels;
    private readonly string _endpoints;

    public EtcdMembership(IEnumerable<Uri> endpoints, X509Certificate2 clientCertificate, X509Certificate2 ca)
    {
        _endpoints = string.Join(", ", endpoints);
        _channels = [.. endpoints.Select(endpoint => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = DialTimeout,
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = [clientCertificate],
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && Pki.CaTrust.ChainsTo(certificate, ca),
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

    public Task<EtcdMemberInfo> AddLearnerAsync(Uri peerUrl, CancellationToken cancellationToken = default) =>
        CallAsync($"add a learner at {peerUrl}", async (client, options) =>
        {
            var request = new MemberAddRequest { IsLearner = true };
            request.PeerURLs.Add(peerUrl.GetLeftPart(UriPartial.Authority));
            var response = await client.MemberAddAsync(request, options).ConfigureAwait(false);
            return Info(response.Member);
        }, cancellationToken);

    public Task PromoteAsync(ulong memberId, CancellationToken cancellationToken = default) =>
        CallAsync($"promote member {memberId:x}", async (client, options) =>
        {
            await client.MemberPromoteAsync(new MemberPromoteRequest { ID = memberId }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task RemoveAsync(ulong memberId, CancellationToken cancellationToken = default) =>
        CallAsync($"remove member {memberId:x}", async (client, options) =>
        {
            await client.MemberRemoveAsync(new MemberRemoveRequest { ID = memberId }, options).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private async Task<T> CallAsync<T>(string what, Func<Etcdserverpb.Cluster.ClusterClient, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + CallTimeout;
        RpcException? last = null;
        foreach (var channel in _channels)
        {
            try
            {
                return await call(new Etcdserverpb.Cluster.ClusterClient(channel), new CallOptions(deadline: deadline, cancellationToken: cancellationToken)).ConfigureAwait(false);
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

    private static EtcdMemberInfo Info(Member member) => new(
        member.ID,
        member.Name,
        [.. member.PeerURLs.Select(url => new Uri(url))],
        [.. member.ClientURLs.Select(url => new Uri(url))],
        member.IsLearner);
}
