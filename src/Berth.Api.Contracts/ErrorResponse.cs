namespace Berth.Api.Contracts;

/// <summary>Every error: <c>{"message": "..."}</c>; the CLI prints "Error response from daemon: &lt;message&gt;".</summary>
public sealed class ErrorResponse
{
    [System.Text.Json.Serialization.JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
