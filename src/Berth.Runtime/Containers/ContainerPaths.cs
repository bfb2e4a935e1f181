namespace Berth.Runtime.Containers;

/// <summary>
/// The layout of one container's directory (the OCI bundle): config.json, the overlayfs upper, work and
/// merged (rootfs) directories, Berth's /etc files, conmon's pid files and the log.
/// </summary>
public sealed record ContainerPaths(string Directory)
{
    public string Config => Path.Combine(Directory, "config.json");

    public string Rootfs => Path.Combine(Directory, "rootfs");

    /// <summary>
    /// Where the writable layer (overlay upper and work directories) lives: outside the bundle when given, so that it
    /// outlives the bundle (replaced at every start) as a container's files do in Docker; null keeps it in the bundle.
    /// </summary>
    public string? LayerDirectory { get; init; }

    public string Upper => Path.Combine(LayerDirectory ?? Directory, "upper");

    public string Work => Path.Combine(LayerDirectory ?? Directory, "work");

    public string Hosts => Path.Combine(Directory, "hosts");

    public string Hostname => Path.Combine(Directory, "hostname");

    public string ResolvConf => Path.Combine(Directory, "resolv.conf");

    public string ContainerPidFile => Path.Combine(Directory, "container.pid");

    public string ConmonPidFile => Path.Combine(Directory, "conmon.pid");

    /// <summary>conmon's k8s-file log (<see cref="ContainerLogReader"/>) unless <see cref="ContainerSpec.LogPath"/> puts it elsewhere.</summary>
    public string Log => Path.Combine(Directory, "container.log");

    /// <summary>The name of conmon's attach socket in the bundle (conmon 2.1.6 <c>setup_attach_socket</c>).</summary>
    public const string AttachSocketName = "attach";

    /// <summary>conmon's attach socket (<see cref="ConmonAttachSocket"/>).</summary>
    public string AttachSocket => Path.Combine(Directory, AttachSocketName);

    /// <summary>conmon's control fifo: <c>TYPE HEIGHT WIDTH\n</c> lines; type 1 resizes the pty (conmon <c>ctrl.c</c>).</summary>
    public string ControlFifo => Path.Combine(Directory, "ctl");

    /// <summary>runc's own log (<c>runc --log</c>): where create errors end up, since conmon runs runc.</summary>
    public string RuncLog => Path.Combine(Directory, "runc.log");
}
