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

    /// <summary>The bundle's files (/etc/hosts, rootfs…), the writable layer beside the bundle.</summary>
    public ContainerPaths PathsOf(ContainerId id) => new(BundleOf(id)) { LayerDirectory = LayerOf(id) };

    /// <summary>The writable layer (overlay upper and work): kept across runs, as a Docker container's files are.</summary>
    public string LayerOf(ContainerId id) => Path.Combine(Root, id.Value, "layer");

    /// <summary>An empty directory on which private views of the container's files are mounted (<c>docker cp</c>, export).</summary>
    public string ViewOf(ContainerId id) => Path.Combine(Root, id.Value, "view");

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
