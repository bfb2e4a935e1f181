using System.Collections.Immutable;

namespace Berth.Runtime.Containers;

/// <summary>A process to run in a running container (Docker's exec config, as the runtime needs it).</summary>
public sealed record ExecSpec
{
    public required ImmutableArray<string> Args { get; init; }

    /// <summary><c>KEY=value</c>, replacing the container's same-named variables.</summary>
    public ImmutableArray<string> Env { get; init; } = [];

    /// <summary>Empty: the container's user.</summary>
    public string User { get; init; } = "";

    /// <summary>Empty: the container's working directory.</summary>
    public string WorkingDir { get; init; } = "";

    public bool Tty { get; init; }

    /// <summary>The terminal's size at start (with <see cref="Tty"/>); null is <see cref="PseudoTerminal"/>'s default.</summary>
    public Oci.OciBox? ConsoleSize { get; init; }
}
