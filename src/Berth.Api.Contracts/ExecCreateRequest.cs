namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>The body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed class ExecCreateRequest
{
    public string? User { get; set; }

    public bool Privileged { get; set; }

    public bool Tty { get; set; }

    /// <summary>[height, width] (API 1.42+).</summary>
    public List<uint>? ConsoleSize { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStderr { get; set; }

    public bool AttachStdout { get; set; }

    public bool Detach { get; set; }

    public string? DetachKeys { get; set; }

    public List<string>? Env { get; set; }

    public string? WorkingDir { get; set; }

    public List<string>? Cmd { get; set; }
}
