using System.Text.Json;
using System.Threading.Channels;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Images;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Api.Endpoints;

internal sealed partial class ImageEndpoints
{
    private const string TarContentType = "application/x-tar";

    /// <summary>moby's <c>registry.AuthHeader</c>.</summary>
    internal const string RegistryAuthHeader = "X-Registry-Auth";
    private static readonly byte[] MessageEnd = "\r\n"u8.ToArray();

    /// <summary>
    /// <c>docker import</c> (<c>fromSrc=-</c>: the body is the rootfs tar; <c>changes</c>, <c>message</c>) and <c>docker pull</c>
    /// (<c>fromImage</c>, <c>tag</c>): a JSON message stream, headers flushed at once; a failure before the first line is a plain HTTP error, after it an <c>error</c> line (as moby does).
    /// </summary>
    private async Task CreateAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string fromSrc = query["fromSrc"].ToString();
        string fromImage = query["fromImage"].ToString();
        string tag = query["tag"].ToString();
        if (fromSrc != "-" && fromImage.Length == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                fromSrc.Length == 0 ? "either fromSrc or fromImage is required" : $"importing from \"{fromSrc}\" is not supported: send the tar as the request body with fromSrc=-");
        }

        // Read before the stream starts, so that a malformed header is a plain 400.
        RegistryCredentials? credentials = fromSrc == "-" ? null : RegistryCredentialsOf(context);
        StartStream(context, "application/json");
        try
        {
            if (fromSrc == "-")
            {
                RequestBody.Unlimited(context);
                string repo = query["repo"].ToString();
                string? reference = repo.Length == 0 ? null : tag.Length == 0 ? repo : $"{repo}:{tag}";
                string id = await images.ImportAsync(context.Request.Body, reference, [.. query["changes"].Select(c => c ?? "")], query["message"].ToString(), context.RequestAborted);
                _events.Imported(id, reference);
                await WriteMessageAsync(context, new JsonMessage { Status = id });
            }
            else
            {
                string reference = tag.Length == 0 || fromImage.Contains('@', StringComparison.Ordinal) ? fromImage : $"{fromImage}:{tag}";
                await PullAsync(context, reference, credentials);
            }
        }
        catch (BerthException e) when (context.Response.HasStarted)
        {
            await WriteMessageAsync(context, new JsonMessage { Error = e.Message, ErrorDetail = new ErrorResponse { Message = e.Message } });
        }
    }

    /// <summary>The credentials of the request's <c>X-Registry-Auth</c> header (the docker CLI's from its config file); null: anonymous.</summary>
    internal static RegistryCredentials? RegistryCredentialsOf(HttpContext context) =>
        RegistryAuthConfig.FromHeader(context.Request.Headers[RegistryAuthHeader].ToString())?.Credentials();

    /// <summary>Streams the store's progress events as Docker's pull lines while the pull runs.</summary>
    private async Task PullAsync(HttpContext context, string reference, RegistryCredentials? credentials)
    {
        var channel = Channel.CreateUnbounded<PullProgress>(new UnboundedChannelOptions { SingleReader = true });
        var pull = Task.Run(async () =>
        {
            try
            {
                await images.PullAsync(reference, new ChannelProgress<PullProgress>(channel.Writer), credentials, context.RequestAborted);
            }
            finally
            {
                channel.Writer.Complete();
            }
        });
        await foreach (var step in channel.Reader.ReadAllAsync(context.RequestAborted))
        {
            await WriteMessageAsync(context, new JsonMessage
            {
                Status = step.Status,
                Id = step.Id,
                ProgressDetail = step.Total is { } total ? new JsonProgressDetail { Current = step.Current ?? 0, Total = total } : null,
            });
        }

        await pull;
        _events.Pulled(reference);
    }

    /// <summary>
    /// <c>docker load</c>: the body is a docker-save or OCI-layout tar. The whole archive is checked and stored before the
    /// reply starts, so a bad archive is a plain 400 and leaves nothing behind.
    /// </summary>
    private async Task LoadAsync(HttpContext context)
    {
        RequestBody.Unlimited(context);
        _ = QueryBool.Get(context.Request, "quiet"); // No per-layer progress is sent either way.
        var loaded = await images.LoadAsync(context.Request.Body, context.RequestAborted);
        _events.Loaded(loaded);
        StartStream(context, "application/json");
        foreach (string name in loaded)
        {
            string line = name.StartsWith(Digests.Sha256Prefix, StringComparison.Ordinal) ? $"Loaded image ID: {name}\n" : $"Loaded image: {name}\n";
            await WriteMessageAsync(context, new JsonMessage { Stream = line });
        }
    }

    /// <summary><c>docker save A B</c>: <c>GET /images/get?names=A&amp;names=B</c>.</summary>
    private Task SaveAsync(HttpContext context)
    {
        List<string> names = [.. context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!)];
        if (names.Count == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "no images to save: give at least one ?names=IMAGE");
        }

        return SaveImagesAsync(context, names);
    }

    private async Task SaveImagesAsync(HttpContext context, IReadOnlyList<string> names)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = TarContentType;
        await images.SaveAsync(names, context.Response.Body, context.RequestAborted);
        _events.Saved(names);
    }

    private static void StartStream(HttpContext context, string contentType)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
    }

    private static async Task WriteMessageAsync(HttpContext context, JsonMessage message)
    {
        await JsonSerializer.SerializeAsync(context.Response.Body, message, DockerJson.Context.JsonMessage, context.RequestAborted);
        await context.Response.Body.WriteAsync(MessageEnd, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
