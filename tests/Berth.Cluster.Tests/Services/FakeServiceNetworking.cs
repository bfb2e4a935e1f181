using System.Collections.Concurrent;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Services;

/// <summary>Networks in a list; VIPs handed out from 10.0.&lt;n&gt;.0/24 and remembered, so a test sees what is still claimed.</summary>
internal sealed class FakeServiceNetworking : IServiceNetworking
{
    private readonly List<ServiceNetworkInfo> _networks = [];
    private int _next = 1;

    public ConcurrentDictionary<(string Network, string Address), ServiceId> Claimed { get; } = new();

    /// <summary>Set: the claim on this network fails (after any before it succeeded).</summary>
    public string? FailClaimOn { get; set; }

    public ServiceNetworkInfo Add(string name, bool swarm = true, bool ingress = false)
    {
        var network = new ServiceNetworkInfo(Berth.Core.Networks.NetworkId.New().Value, name, swarm) { IsIngress = ingress };
        _networks.Add(network);
        return network;
    }

    public Task<ServiceNetworkInfo?> ResolveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult(_networks.FirstOrDefault(n => n.Id == idOrName || n.Name == idOrName));

    public Task<string> ClaimVirtualIpAsync(string networkId, ServiceId service, CancellationToken cancellationToken = default)
    {
        if (networkId == FailClaimOn)
        {
            throw new BerthException(ErrorKind.Unavailable, $"network {networkId}: no address left");
        }

        int index = _networks.FindIndex(n => n.Id == networkId);
        string address = $"10.0.{index + 1}.{Interlocked.Increment(ref _next)}/24";
        Claimed[(networkId, address)] = service;
        return Task.FromResult(address);
    }

    /// <summary>How many times the ingress network was asked for; set <see cref="IngressUnavailable"/> to refuse (not linked yet).</summary>
    public int IngressCreates { get; private set; }

    public bool IngressUnavailable { get; set; }

    public Task CreateIngressNetworkAsync(CancellationToken cancellationToken = default)
    {
        if (IngressUnavailable)
        {
            throw new BerthException(ErrorKind.Unavailable, "this node is not linked to the cluster yet");
        }

        IngressCreates++;
        if (!_networks.Any(n => n.Name == ServiceManager.IngressNetworkName))
        {
            Add(ServiceManager.IngressNetworkName, ingress: true);
        }

        return Task.CompletedTask;
    }

    public Task<ServiceNetworkInfo?> IngressNetworkAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_networks.FirstOrDefault(n => n.IsIngress));

    public Task ReleaseVirtualIpAsync(string networkId, ServiceId service, string address, CancellationToken cancellationToken = default)
    {
        Claimed.TryRemove((networkId, address), out _);
        return Task.CompletedTask;
    }

    /// <summary>No endpoints here: nothing to put in or take out of a rotation.</summary>
    public Task<bool> SetInRotationAsync(string containerId, bool inRotation, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public bool Follows(Berth.Store.IStateStore store) => true;

    /// <summary>What the services answered last registered (null once its registration was disposed).</summary>
    public Func<string, CancellationToken, Task<string?>>? ServiceUsers { get; private set; }

    public IDisposable AnswerServiceUsers(Func<string, CancellationToken, Task<string?>> users)
    {
        ServiceUsers = users;
        return new Registration(() => ServiceUsers = ServiceUsers == users ? null : ServiceUsers);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
