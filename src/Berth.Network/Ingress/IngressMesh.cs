using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;

namespace Berth.Network.Ingress;

/// <summary>
/// The routing mesh's kernel state on one node: the host DNAT table for the published ports and the return path of each
/// local ingress task, kept in step with every node's entry (<see cref="EntryInterface"/>, the endpoint the host
/// namespace has on the ingress network; <see cref="IngressController"/> makes it). Thread-safe (one gate); all state
/// it keeps is what it was last told, the kernel holds the rest.
/// </summary>
public sealed class IngressMesh : IDisposable
{
    /// <summary>The host namespace's interface on the ingress network.</summary>
    public const string EntryInterface = "ingress0";

    private readonly NetworkNamespace _host;
    private readonly NamespaceRunner? _runner;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskPath> _tasks = new(StringComparer.Ordinal);
    private IReadOnlyCollection<IngressEntry> _entries = [];
    private IReadOnlyCollection<IngressPublication>? _publications;

    /// <param name="runner">Where task namespaces' handles are made (the shared runner by default).</param>
    public IngressMesh(NetworkNamespace host, NamespaceRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _runner = runner;
    }

    /// <summary>The local tasks whose return path is kept (for tests and inspection).</summary>
    public IReadOnlyCollection<string> Tasks
    {
        get
        {
            lock (_gate)
            {
                return [.. _tasks.Keys];
            }
        }
    }

    /// <summary>The node left the mesh: the host DNAT table goes. Idempotent.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_host.Nft.TableExists(IngressRuleset.HostTable))
            {
                _host.Nft.Apply(new NftBatch().DeleteTable(IngressRuleset.HostTable));
            }

            _publications = null;
        }
    }

    /// <summary>The ports published through the mesh and their backends; the host table is rewritten only when they changed.</summary>
    public void SetPublications(IReadOnlyCollection<IngressPublication> publications)
    {
        ArgumentNullException.ThrowIfNull(publications);
        lock (_gate)
        {
            if (_publications is { } current && current.Count == publications.Count && current.ToHashSet().SetEquals(publications))
            {
                return;
            }

            _host.Nft.Apply(IngressRuleset.Host(publications), "the routing mesh's published ports");
            _publications = [.. publications];
        }
    }

    /// <summary>Every node's entry (this one's too); each local ingress task's return path follows. Failures are reported together.</summary>
    public void SetEntries(IReadOnlyCollection<IngressEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            _entries = [.. entries];
            var problems = new List<string>();
            foreach (var (container, task) in _tasks)
            {
                try
                {
                    IngressReturnPath.Apply(task.Open(_runner), task.Interface, _entries);
                }
                catch (BerthException e)
                {
                    problems.Add($"task container {container}: {e.Message}");
                }
            }

            if (problems.Count > 0)
            {
                throw new BerthException(ErrorKind.Internal, "the ingress return path could not be updated for: " + string.Join("; ", problems));
            }
        }
    }

    /// <summary>
    /// A local task on the ingress network (its namespace's path, its interface there): its return path is made now and
    /// kept as the entries change. Its namespace is held open until <see cref="ForgetTask"/>.
    /// </summary>
    public void SyncTask(string containerId, string namespacePath, string ingressInterface)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);
        lock (_gate)
        {
            if (!_tasks.TryGetValue(containerId, out var task) || task.Path != namespacePath || task.Interface != ingressInterface)
            {
                task?.Dispose();
                task = new TaskPath(namespacePath, ingressInterface);
                _tasks[containerId] = task;
            }

            IngressReturnPath.Apply(task.Open(_runner), ingressInterface, _entries);
        }
    }

    /// <summary>A task that left: nothing more is written into its namespace (its rules go with it).</summary>
    public void ForgetTask(string containerId)
    {
        lock (_gate)
        {
            if (_tasks.Remove(containerId, out var task))
            {
                task.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var task in _tasks.Values)
            {
                task.Dispose();
            }

            _tasks.Clear();
        }
    }

    private sealed class TaskPath(string path, string ingressInterface) : IDisposable
    {
        private NetworkNamespace? _namespace;

        public string Path { get; } = path;

        public string Interface { get; } = ingressInterface;

        public NetworkNamespace Open(NamespaceRunner? runner) => _namespace ??= NetworkNamespace.OpenPath(Path, runner);

        public void Dispose() => _namespace?.Dispose();
    }
}
