using System.Text.Json;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>
/// The <c>process.json</c> of <c>runc exec --process</c>: the container's process (capabilities, rlimits,
/// user, cwd) with the exec's command, terminal, and environment — built the way moby builds an exec's:
/// Docker's environment rules applied with the exec's TTY, the exec's variables replacing the container's.
/// </summary>
public static class ExecProcessSpec
{
    /// <summary><paramref name="rootfs"/> is the running container's root, where user names are looked up.</summary>
    public static OciProcess Build(ContainerSpec container, ExecSpec exec, string rootfs)
    {
        if (exec.Args.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "No exec command specified");
        }

        var capabilities = OciSpecBuilder.CapabilitiesOf(container);
        return new OciProcess(
            Terminal: exec.Tty,
            User: UserResolver.Resolve(exec.User.Length > 0 ? exec.User : container.User, rootfs, container.GroupAdd),
            Args: exec.Args,
            Env: OciSpecBuilder.ResolveEnv(container with { Tty = exec.Tty, Env = [.. container.Env, .. exec.Env] }),
            Cwd: exec.WorkingDir.Length > 0 ? exec.WorkingDir : container.WorkingDir.Length > 0 ? container.WorkingDir : "/",
            Capabilities: new OciCapabilities(capabilities, capabilities, capabilities),
            Rlimits: OciSpecBuilder.Rlimits(container),
            NoNewPrivileges: container.NoNewPrivileges)
        {
            ConsoleSize = exec.Tty ? exec.ConsoleSize ?? new OciBox(PseudoTerminal.DefaultRows, PseudoTerminal.DefaultColumns) : null,
        };
    }

    public static string Serialize(OciProcess process) => JsonSerializer.Serialize(process, OciJsonContext.Default.OciProcess);
}
