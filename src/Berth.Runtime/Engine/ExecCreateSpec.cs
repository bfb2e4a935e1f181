using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>An exec as the client asked for it (Docker's <c>POST /containers/{id}/exec</c> body).</summary>
public sealed record ExecCreateSpec
{
    public required ImmutableArray<string> Cmd { get; init; }

    public ImmutableArray<string> Env { get; init; } = [];

    /// <summary>Empty: the container's user.</summary>
    public string User { get; init; } = "";

    /// <summary>Empty: the container's working directory.</summary>
    public string WorkingDir { get; init; } = "";

    public bool Tty { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public bool Privileged { get; init; }

    public string DetachKeys { get; init; } = "";

    /// <summary>[rows, columns] of the client's terminal (API 1.42+), for a terminal's first size.</summary>
    public (ushort Rows, ushort Columns)? ConsoleSize { get; init; }
}
