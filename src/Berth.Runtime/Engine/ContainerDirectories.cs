using Berth.Core.Containers;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// Where a container's files live under the engine's root: <c>&lt;root&gt;/&lt;id&gt;/</c> holds its log (outside the
/// bundle, so it continues across runs), its OCI bundle (replaced at every start) and its execs' state.
/// </summary>
public sealed class ContainerDirectories(string root)
{
    public string Root { get; } = root;

    public string Of(ContainerId id) => Path.Combine(Root, id.Value);

    public string BundleOf(ContainerId id) => Path.Combine(Root, id.Value, "bundle");

    /// <summary>The bundle's files (/etc/hosts, rootfs…).</summary>
    public ContainerPaths PathsOf(ContainerId id) => new(BundleOf(id));

    /// <summary>The container's k8s-file log, as conmon writes it.</summary>
    public string LogOf(ContainerId id) => Path.Combine(Root, id.Value, "container.log");

    public string ExecsOf(ContainerId id) => Path.Combine(Root, id.Value, "exec");

    public void Create(ContainerId id) => Directory.CreateDirectory(Of(id));

    public void Delete(ContainerId id)
    {
        if (Directory.Exists(Of(id)))
        {
            Directory.Delete(Of(id), recursive: true);
        }
    }
}
