namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>The body of <c>POST /exec/{id}/start</c>.</summary>
public sealed class ExecStartRequest
{
    public bool Detach { get; set; }

    public bool Tty { get; set; }

    /// <summary>[height, width] (API 1.42+, with Tty).</summary>
    public List<uint>? ConsoleSize { get; set; }
}
