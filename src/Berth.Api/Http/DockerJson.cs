using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Contracts;
using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Http;

/// <summary>
/// Reads request bodies and writes replies with the source-generated <see cref="DockerJsonContext"/>.
/// Replies end with a newline, as Go's <c>json.Encoder</c> writes them; only what JSON requires is escaped
/// (Go leaves <c>+</c> and <c>'</c> alone, so do we).
/// </summary>
internal static class DockerJson
{
    internal const string ContentType = "application/json";

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <summary>The shared context with a relaxed encoder; the contract types and their names stay the same.</summary>
    internal static readonly DockerJsonContext Context = new(CreateOptions());

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(DockerJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = null,
        };
        foreach (var converter in GoNullAsZero.Converters)
        {
            options.Converters.Add(converter);
        }

        return options;
    }

    public static async Task WriteAsync<T>(HttpResponse response, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, response.HttpContext.RequestAborted);
        await response.Body.WriteAsync(NewLine, response.HttpContext.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpResponse response, int status, string message) =>
        WriteAsync(response, status, new ErrorResponse { Message = message }, Context.ErrorResponse);

    /// <summary>
    /// Reads a JSON body. Malformed JSON, a wrong type or an empty body is the client's mistake:
    /// InvalidArgument naming what was wrong, never a 500.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid JSON: {Describe(e)}", e);
        }

        return value ?? throw new BerthException(ErrorKind.InvalidArgument, "invalid JSON: the request body is empty or null; send a JSON object");
    }

    private static string Describe(JsonException e)
    {
        // An empty body surfaces as "The input does not contain any JSON tokens"; say it like moby does.
        if (e.BytePositionInLine == 0 && e.LineNumber == 0 && e.Path is null or "$")
        {
            return "got EOF while reading request body";
        }

        return e.Path is { Length: > 0 } path ? $"{FirstSentence(e.Message)} (at {path})" : FirstSentence(e.Message);
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
