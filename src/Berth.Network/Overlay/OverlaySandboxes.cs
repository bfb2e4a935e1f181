using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Overlay;

/// <summary>
/// The kernel data path of overlay networks on this node: per network, a sandbox namespace <c>ov-ID12</c>
/// holding br0 (the gateways, the containers' veths) and vxlan0 (its UDP socket in the host namespace);
/// remote endpoints programmed as static entries, never learned, never flooded. Thread-safe: work on one
/// network is serialised, different networks run in parallel. Holds no state of its own that the kernel
/// does not hold: a new instance (a restarted berthd) finds everything again. See README.md.
/// </summary>
public sealed partial class OverlaySandboxes : IDisposable
{
    /// <summary>Every sandbox namespace's name starts with it.</summary>
    public const string NamespacePrefix = "ov-";

    /// <summary>The sandbox's bridge (Docker's name in its overlay sandboxes).</summary>
    public const string BridgeName = "br0";

    /// <summary>The sandbox's VXLAN device.</summary>
    public const string VxlanName = "vxlan0";

    private readonly NetworkNamespace _host;
    private readonly NamespaceManager _namespaces;
    private readonly Sealed.SealedPath? _sealed;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<NetworkId, Sandbox> _open = new();

    /// <summary>
    /// One gate per sandbox name ever used here (so per network; <see cref="RemoveLeftovers"/> knows only names). A gate
    /// is never dropped, so two threads can never hold different gates of one sandbox.
    /// </summary>
    private readonly ConcurrentDictionary<string, object> _gates = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <param name="host">The namespace of the underlay: vxlan0's UDP sockets live here.</param>
    /// <param name="namespaces">Where the sandboxes' namespaces are kept (and found again after a restart).</param>
    /// <param name="sealedPath">The data path of encrypted networks; null: they are refused.</param>
    public OverlaySandboxes(NetworkNamespace host, NamespaceManager namespaces, ILogger? logger = null, Sealed.SealedPath? sealedPath = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(namespaces);
        _host = host;
        _namespaces = namespaces;
        _sealed = sealedPath;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary><c>ov-</c> and the first 12 digits of the network's id.</summary>
    public static string NamespaceName(NetworkId network) => NamespacePrefix + network.Short;

    /// <summary>Whether the network's sandbox namespace exists on this node.</summary>
    public bool Exists(NetworkId network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _namespaces.Exists(NamespaceName(network));
    }

    /// <summary>
    /// The networks that have a sandbox here, read from the kernel: each sandbox's br0 carries its network's
    /// full id as its alias. A sandbox without one (a crash while it was being made) is not listed;
    /// <see cref="RemoveLeftovers"/> removes those.
    /// </summary>
    public IReadOnlyList<NetworkId> List()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var networks = new List<NetworkId>();
        foreach (string name in SandboxNames())
        {
            if (Identify(name) is { } network)
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    /// <summary>
    /// Removes sandbox namespaces that name no network (br0 or its alias missing: a crash while one was being
    /// made); returns their names.
    /// </summary>
    public IReadOnlyList<string> RemoveLeftovers()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var removed = new List<string>();
        foreach (string name in SandboxNames())
        {
            // Under the name's gate: a sandbox being made right now has no br0 yet, but is no leftover.
            lock (GateOf(name))
            {
                if (Identify(name) is not null || !_namespaces.Exists(name))
                {
                    continue;
                }

                OverlayLog.Leftover(_logger, name, "its br0 names no network");
                using (var ns = TryOpen(name))
                {
                    // The VNI and UDP port of a leftover vxlan0 are free at once, not when the kernel frees the namespace.
                    ns?.Links.TryDelete(VxlanName);
                }

                DeleteNamespace(name);
                removed.Add(name);
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes the network's sandbox: vxlan0 first (its VNI and UDP port are free when this returns), then
    /// the namespace, which takes br0 and any veths left with it. Nothing if there is none.
    /// </summary>
    public void Remove(NetworkId network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (GateOf(network))
        {
            RemoveLocked(network);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var network in _open.Keys)
        {
            if (_open.TryRemove(network, out var sandbox))
            {
                sandbox.Dispose();
            }
        }
    }

    private object GateOf(NetworkId network) => GateOf(NamespaceName(network));

    private object GateOf(string name) => _gates.GetOrAdd(name, static _ => new object());

    private IEnumerable<string> SandboxNames() =>
        _namespaces.List().Where(name => name.StartsWith(NamespacePrefix, StringComparison.Ordinal));

    /// <summary>The network whose id br0's alias holds, if it matches the namespace's name.</summary>
    private NetworkId? Identify(string name)
    {
        foreach (var sandbox in _open.Values)
        {
            if (sandbox.Name == name)
            {
                return sandbox.Network;
            }
        }

        using var ns = TryOpen(name);
        string? alias = ns?.Links.TryGet(BridgeName)?.Alias;
        if (alias is null || alias.Length != NetworkId.Length || !alias.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var network = new NetworkId(alias);
        return NamespaceName(network) == name ? network : null;
    }

    /// <summary>The namespace of a sandbox, opened; null if there is none, or only the placeholder file of one whose making crashed.</summary>
    private NetworkNamespace? TryOpen(string name)
    {
        NetnsHandle handle;
        try
        {
            handle = _namespaces.Open(name);
        }
        catch (KernelException e) when (e.Errno == Errno.ENOENT || e.Kind == ErrorKind.InvalidArgument)
        {
            return null;
        }

        return NetworkNamespace.Open(handle, _namespaces.Runner, _logger);
    }

    /// <summary>The open sandbox of <paramref name="network"/>, opened now if it exists; null if it does not. Under the network's gate.</summary>
    private Sandbox? Find(NetworkId network)
    {
        string name = NamespaceName(network);
        if (_open.TryGetValue(network, out var sandbox))
        {
            if (_namespaces.Exists(name))
            {
                return sandbox;
            }

            // Deleted behind our back: forget it, and close its socket so the kernel can free it.
            _open.TryRemove(network, out _);
            sandbox.Dispose();
        }

        if (TryOpen(name) is not { } ns)
        {
            // A file with no namespace mounted on it (a crash between the two) would block the name for good.
            if (_namespaces.Exists(name))
            {
                DeleteNamespace(name);
            }

            return null;
        }

        sandbox = new Sandbox(network, ns);
        _open[network] = sandbox;
        return sandbox;
    }

    /// <summary>The open sandbox with br0 and vxlan0 looked up; NotFound if it does not exist or lacks them.</summary>
    private Sandbox Require(NetworkId network)
    {
        var sandbox = Find(network) ?? throw new BerthException(ErrorKind.NotFound,
            $"network {network.Short} has no overlay sandbox on this node; ensure it (Ensure or Join) first");
        if (sandbox.BridgeIndex == 0 || sandbox.VxlanIndex == 0)
        {
            // An encrypted network's port is seal0, and only while the sealed path holds it open (not after a restart).
            bool sealedPort = _sealed?.IsOpen(network) == true;
            string port = sealedPort ? Sealed.SealedPath.TapName : VxlanName;
            var links = sandbox.Namespace.Links;
            var bridge = links.TryGet(BridgeName);
            var vxlan = links.TryGet(port);
            if (bridge is null || vxlan is null)
            {
                throw new BerthException(ErrorKind.NotFound,
                    $"{sandbox} lacks {(bridge is null ? BridgeName : port)}; ensure it again to repair it");
            }

            sandbox.BridgeIndex = bridge.Index;
            sandbox.VxlanIndex = vxlan.Index;
            sandbox.Sealed = sealedPort;
            sandbox.LocalVtep = vxlan.Vxlan?.Local;
        }

        return sandbox;
    }

    private void RemoveLocked(NetworkId network)
    {
        string name = NamespaceName(network);
        _open.TryRemove(network, out var sandbox);
        _sealed?.Close(network);
        if (!_namespaces.Exists(name))
        {
            sandbox?.Dispose();
            return;
        }

        var ns = sandbox?.Namespace ?? TryOpen(name);
        try
        {
            ns?.Links.TryDelete(VxlanName);
        }
        finally
        {
            // An open socket would keep the namespace, and so br0 and the veths, alive.
            ns?.Dispose();
            DeleteNamespace(name);
        }

        OverlayLog.Removed(_logger, name);
    }

    private void DeleteNamespace(string name)
    {
        try
        {
            _namespaces.Delete(name);
        }
        catch (KernelException e) when (e.Errno == Errno.ENOENT)
        {
            // removed meanwhile: what Remove wants
        }
    }
}
