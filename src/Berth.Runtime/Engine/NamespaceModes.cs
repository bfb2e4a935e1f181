using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// <c>--pid</c>, <c>--ipc</c> and <c>--uts</c> as Docker's <c>HostConfig.PidMode</c>, <c>IpcMode</c> and <c>UTSMode</c> hold
/// them: PID <c>""</c>, <c>host</c> or <c>container:NAME</c>; IPC <c>""</c> (the daemon's default, <c>private</c>),
/// <c>private</c>, <c>shareable</c>, <c>host</c>, <c>none</c> or <c>container:NAME</c>; UTS <c>""</c> or <c>host</c>.
/// A container named here is looked up at start, as moby does (it must be running then). <see cref="Userns"/> is
/// <c>--userns</c> (<c>HostConfig.UsernsMode</c>): <c>""</c> or <c>host</c>, the opt-out of berthd's <c>--userns-remap</c>.
/// </summary>
public sealed record NamespaceModes(string Pid, string Ipc, string Uts)
{
    /// <summary><c>--userns</c>: <c>""</c> (berthd's remap, when it has one) or <c>host</c> (no user namespace).</summary>
    public string Userns { get; init; } = "";

    public const string Host = "host";

    public const string ContainerPrefix = "container:";

    /// <summary>Docker 28's default IPC mode (dockerd's <c>--default-ipc-mode</c>), shown by inspect when none was asked for.</summary>
    public const string DefaultIpc = "private";

    public static readonly NamespaceModes Default = new("", "", "");

    /// <summary>The container a mode joins (<c>container:NAME</c>), or null.</summary>
    public static string? JoinedContainer(string mode) =>
        mode.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? mode[ContainerPrefix.Length..] : null;

    /// <summary>The modes, checked with moby's messages; a hostname with the host's UTS namespace conflicts.</summary>
    public static NamespaceModes Validate(string? pid, string? ipc, string? uts, string? hostname, string? userns = null)
    {
        userns ??= "";
        if (userns is not ("" or Host))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid USER mode: {userns}; give host or leave it out");
        }

        pid ??= "";
        ipc ??= "";
        uts ??= "";
        if (pid is not ("" or Host) && JoinedContainer(pid) is not { Length: > 0 })
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid PID mode: {pid}; give host or container:NAME");
        }

        if (ipc is not ("" or Host or DefaultIpc or "shareable" or "none") && JoinedContainer(ipc) is not { Length: > 0 })
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid IPC mode: {ipc}; give private, shareable, host, none or container:NAME");
        }

        if (uts is not ("" or Host))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid UTS mode: {uts}; give host or leave it out");
        }

        if (uts == Host && !string.IsNullOrEmpty(hostname))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "conflicting options: hostname and the UTS mode");
        }

        return new NamespaceModes(pid, ipc.Length == 0 ? DefaultIpc : ipc, uts) { Userns = userns };
    }
}
