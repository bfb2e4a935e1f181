using System.Net;
using Berth.Linux.Links;
using Berth.Linux.Netlink;
using Berth.Linux.Nftables;
using Berth.Linux.Sockets;
using Berth.Linux.Sysctl;
using Microsoft.Extensions.Logging;

namespace Berth.Linux.Namespaces;

/// <summary>
/// One network namespace and everything Berth speaks to the kernel through in it: an rtnetlink
/// client and (on first use) a libnftables context, both opened inside the namespace once and then
/// usable from any thread; its sysctls; and synchronous work run inside it on the runner.
/// Disposing closes them; the namespace itself lives on while its bind mount does.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private readonly NamespaceRunner _runner;
    private readonly Lazy<NftablesContext> _nft;

    private NetworkNamespace(string? name, NetnsHandle handle, RtnlClient rtnl, NamespaceRunner runner)
    {
        Name = name;
        Handle = handle;
        Rtnl = rtnl;
        _runner = runner;
        Sysctls = new NamespaceSysctls(handle, runner);
        _nft = new Lazy<NftablesContext>(() => runner.Run(handle, () => new NftablesContext()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The name under the manager's directory, or null for the host or an unnamed namespace.</summary>
    public string? Name { get; }

    public NetnsHandle Handle { get; }

    public RtnlClient Rtnl { get; }

    public LinkOperations Links => Rtnl.Links;

    public NamespaceSysctls Sysctls { get; }

    /// <summary>The namespace's libnftables context, created inside it on first use.</summary>
    public NftablesContext Nft => _nft.Value;

    /// <summary>Creates a named namespace; its netlink socket is opened while the worker is inside it, at no extra cost.</summary>
    public static NetworkNamespace Create(NamespaceManager manager, string name, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var (handle, rtnl) = manager.Create(name, () => RtnlClient.Open(logger));
        return new NetworkNamespace(name, handle, rtnl, manager.Runner);
    }

    /// <summary>Creates a named namespace owned by a new user namespace of <paramref name="mapping"/> (a remapped container's).</summary>
    public static NetworkNamespace CreateOwned(NamespaceManager manager, string name, IdentityMapping mapping, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var (handle, rtnl) = manager.CreateOwned(name, mapping, () => RtnlClient.Open(logger));
        return new NetworkNamespace(name, handle, rtnl, manager.Runner);
    }

    /// <summary>
    /// Creates a named namespace owned by the existing user namespace at <paramref name="userNamespace"/> (a remapped
    /// container's that joins another's PID or IPC namespace: that container's user namespace).
    /// </summary>
    public static NetworkNamespace CreateOwnedIn(NamespaceManager manager, string name, string userNamespace, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var (handle, rtnl) = manager.CreateOwnedIn(name, userNamespace, () => RtnlClient.Open(logger));
        return new NetworkNamespace(name, handle, rtnl, manager.Runner);
    }

    /// <summary>Opens an existing namespace from its handle (the handle is owned by the result).</summary>
    public static NetworkNamespace Open(NetnsHandle handle, NamespaceRunner? runner = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        runner ??= NamespaceRunner.Shared;
        var rtnl = runner.Run(handle, () => RtnlClient.Open(logger));
        return new NetworkNamespace(null, handle, rtnl, runner);
    }

    /// <summary>Opens the namespace bind-mounted at <paramref name="path"/> (e.g. <c>/run/netns/lab1</c>).</summary>
    public static NetworkNamespace OpenPath(string path, NamespaceRunner? runner = null, ILogger? logger = null) =>
        Open(NetnsHandle.Open(path), runner, logger);

    /// <summary>The process's own namespace: that of its main thread.</summary>
    public static NetworkNamespace Host(NamespaceRunner? runner = null, ILogger? logger = null) =>
        OpenPath(NamespaceRunner.HostNamespacePath, runner, logger);

    /// <summary>Runs synchronous work inside this namespace (no awaits in <paramref name="work"/>).</summary>
    public T Run<T>(Func<T> work) => _runner.Run(Handle, work);

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default) =>
        _runner.RunAsync(Handle, work, cancellationToken);

    /// <summary>Creates a persistent tap device in this namespace (tun/tap is ioctl, not netlink).</summary>
    public void CreateTap(string name) => Run(() =>
    {
        TunTap.CreatePersistentTap(name);
        return true;
    });

    /// <summary>
    /// Creates a non-persistent tap in this namespace and returns its queue (see <see cref="TapQueue.Open"/>):
    /// the descriptor is usable from any thread, the device lives as long as it.
    /// </summary>
    public TapQueue OpenTapQueue(string name, TapOffloads offloads) => Run(() => TapQueue.Open(name, offloads));

    /// <summary>Creates a non-persistent multi-queue tap in this namespace (see <see cref="TapQueue.OpenQueues"/>).</summary>
    public TapQueue[] OpenTapQueues(string name, TapOffloads offloads, int count) => Run(() => TapQueue.OpenQueues(name, offloads, count));

    /// <summary>Binds a UDP tunnel socket inside this namespace (see <see cref="UdpTunnelSocket.Bind"/>); usable from any thread.</summary>
    public UdpTunnelSocket BindUdpTunnel(IPAddress local, ushort port) => Run(() => UdpTunnelSocket.Bind(local, port));

    /// <summary>Binds a steered group of UDP tunnel sockets inside this namespace (see <see cref="UdpTunnelSocket.BindSteered"/>).</summary>
    public UdpTunnelSocket[] BindSteeredUdpTunnels(IPAddress local, ushort port, int count, int wordOffset) =>
        Run(() => UdpTunnelSocket.BindSteered(local, port, count, wordOffset));

    public void Dispose()
    {
        if (_nft.IsValueCreated)
        {
            _nft.Value.Dispose();
        }

        Rtnl.Dispose();
        Handle.Dispose();
    }

    public override string ToString() => Name is null ? Handle.ToString() : $"netns \"{Name}\"";
}
