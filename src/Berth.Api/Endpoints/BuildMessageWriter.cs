using System.Text;
using System.Text.Json;
using Berth.Build.Engine;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Endpoints;

/// <summary>
/// A build's progress as Docker's JSON messages (<c>{"stream":…}</c>, <c>{"aux":{"ID":…}}</c>, <c>{"errorDetail":…,"error":…}</c>),
/// one per line, flushed as they come. The response starts with the first message, so an error before it is still an
/// HTTP error. Quiet (<c>q=1</c>), the stream text is held back and sent only if the build fails (moby's notVerboseBuffer).
/// </summary>
internal sealed class BuildMessageWriter(HttpResponse response, bool quiet) : IBuildOutput
{
    private readonly StringBuilder _held = new();

    public bool Started { get; private set; }

    public ValueTask WriteAsync(string text, CancellationToken cancellationToken = default)
    {
        if (quiet)
        {
            _held.Append(text);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(WriteStreamAsync(text, cancellationToken));
    }

    public ValueTask ImageBuiltAsync(string imageId, CancellationToken cancellationToken = default) =>
        new(SendAsync(writer =>
        {
            writer.WriteStartObject("aux");
            writer.WriteString("ID", imageId);
            writer.WriteEndObject();
        }, cancellationToken));

    public Task WriteStreamAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(writer => writer.WriteString("stream", text), cancellationToken);

    public async Task FailAsync(string message, int code, CancellationToken cancellationToken)
    {
        if (_held.Length > 0)
        {
            string held = _held.ToString();
            _held.Clear();
            await WriteStreamAsync(held, cancellationToken);
        }

        await SendAsync(writer =>
        {
            writer.WriteStartObject("errorDetail");
            if (code != 0)
            {
                writer.WriteNumber("code", code);
            }

            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteString("error", message);
        }, cancellationToken);
    }

    private async Task SendAsync(Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        if (!Started)
        {
            Started = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
        }

        var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
