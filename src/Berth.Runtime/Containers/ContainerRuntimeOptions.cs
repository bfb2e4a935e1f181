using Berth.Linux.Namespaces;

namespace Berth.Runtime.Containers;

/// <summary>Where the runtime's tools are and where they keep their state.</summary>
public sealed record ContainerRuntimeOptions
{
    /// <summary>The OCI runtimes containers may be created with, and the default (runc alone unless given).</summary>
    public OciRuntimes Runtimes { get; init; } = OciRuntimes.RuncOnly;

    public string ConmonPath { get; init; } = "/usr/bin/conmon";

    /// <summary>runc's <c>--root</c>; another runtime's is this with <c>-NAME</c> appended (<see cref="OciRuntimes.Resolve"/>).</summary>
    public required string RuncRoot { get; init; }

    /// <summary>Which runtime each container was created with, one file per container (<see cref="RuncClient.Bind"/>).</summary>
    public required string RuntimeRecordDirectory { get; init; }

    /// <summary>conmon's <c>--exit-dir</c>: one file per exited container, named by its id, holding the exit code.</summary>
    public required string ExitDirectory { get; init; }

    /// <summary>conmon's <c>--socket-dir-path</c> (attach sockets).</summary>
    public required string SocketDirectory { get; init; }

    /// <summary>conmon's <c>--log-size-max</c> in bytes; null leaves the log unbounded.</summary>
    public long? LogSizeMax { get; init; }

    /// <summary>
    /// berthd's <c>--userns-remap</c>: every container (but those with <c>--userns host</c>) in a user namespace of this
    /// mapping, its writable layer and /etc files the remapped root's; null: no user namespaces.
    /// </summary>
    public IdentityMapping? UserNamespace { get; init; }

    /// <summary>Upper bound of one runc or conmon step (create, start, kill, state, delete).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Defaults under one directory: ROOT/runc (ROOT/runc-NAME for other runtimes), ROOT/runtime-of, ROOT/exits, ROOT/sockets.</summary>
    public static ContainerRuntimeOptions Under(string root) => new()
    {
        RuncRoot = Path.Combine(root, "runc"),
        RuntimeRecordDirectory = Path.Combine(root, "runtime-of"),
        ExitDirectory = Path.Combine(root, "exits"),
        SocketDirectory = Path.Combine(root, "sockets"),
    };
}
