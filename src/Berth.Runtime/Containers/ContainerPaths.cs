namespace Berth.Runtime.Containers;

/// <summary>
/// The layout of one container's directory (the OCI bundle): config.json, the overlayfs upper, work and
/// merged (rootfs) directories, Berth's /etc files, conmon's pid files and the log.
/// </summary>
public sealed record ContainerPaths(string Directory)
{
    public string Config => Path.Combine(Directory, "config.json");

    public string Rootfs => Path.Combine(Directory, "rootfs");

    public string Upper => Path.Combine(Directory, "upper");

    public string Work => Path.Combine(Directory, "work");

    public string Hosts => Path.Combine(Directory, "hosts");

    public string Hostname => Path.Combine(Directory, "hostname");

    public string ResolvConf => Path.Combine(Directory, "resolv.conf");

    public string ContainerPidFile => Path.Combine(Directory, "container.pid");

    public string ConmonPidFile => Path.Combine(Directory, "conmon.pid");

    /// <summary>conmon's k8s-file log (<see cref="ContainerLogReader"/>).</summary>
    public string Log => Path.Combine(Directory, "container.log");

    /// <summary>runc's own log (<c>runc --log</c>): where create errors end up, since conmon runs runc.</summary>
    public string RuncLog => Path.Combine(Directory, "runc.log");
}
