using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Api.Http;
using Berth.Build.Engine;
using Berth.Core.Errors;
using Berth.Runtime.Build;
using Berth.Runtime.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Berth.Api.Endpoints;

/// <summary>
/// <c>POST /build</c> with Docker's classic builder (API "Builder-Version: 1"): the body is the context tar, the query
/// the <c>docker build</c> flags, the answer Docker's JSON message stream. As moby's build route, an error before the
/// first message (a bad Dockerfile, a bad flag) is an HTTP error; after it, an <c>error</c> message in the stream.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class BuildEndpoints(BuildBackend backend)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/build", BuildAsync);
        routes.MapPost("/build/prune", PruneAsync);
    }

    private async Task BuildAsync(HttpContext context)
    {
        RequestBody.Unlimited(context);
        var request = context.Request;
        if (!string.IsNullOrEmpty(request.Query["remote"]))
        {
            throw new BerthException(ErrorKind.NotSupported, "building from a remote context (a URL or git repository) is not supported by Berth; clone or download it and build the directory");
        }

        CheckPlatform(request.Query["platform"].ToString());
        var tags = request.Query["t"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToImmutableArray();
        foreach (string tag in tags)
        {
            if (!ImageReference.TryParse(tag, out _, out _))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"Error parsing reference: \"{tag}\" is not a valid repository/tag: invalid reference format");
            }
        }

        string? target = request.Query["target"].ToString();
        bool quiet = QueryBool.Get(request, "q");
        var buildRequest = new BuildRequest
        {
            ContextDirectory = "",
            DockerfilePath = request.Query["dockerfile"].ToString() is { Length: > 0 } dockerfile ? dockerfile : Build.Dockerfile.DockerfileParser.DefaultFileName,
            Tags = tags,
            BuildArgs = JsonMap(request.Query["buildargs"].ToString(), "buildargs", BuildJsonContext.Default.DictionaryStringString),
            Target = target.Length == 0 ? null : target,
            Labels = JsonMap(request.Query["labels"].ToString(), "labels", BuildJsonContext.Default.DictionaryStringString)
                .ToImmutableDictionary(l => l.Key, l => l.Value ?? ""),
            NoCache = QueryBool.Get(request, "nocache"),
            Pull = QueryBool.Get(request, "pull"),
            Remove = request.Query["rm"].Count == 0 || QueryBool.Get(request, "rm"),
            ForceRemove = QueryBool.Get(request, "forcerm"),
            NetworkMode = request.Query["networkmode"].ToString() is { Length: > 0 } network ? network : "default",
            ExtraHosts = [.. request.Query["extrahosts"].SelectMany(h => (h ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))],
        };

        using var contextDirectory = await BuildContextDirectory.ExtractAsync(backend.ContextsDirectory, request.Body, context.RequestAborted);
        var output = new BuildMessageWriter(context.Response, quiet);
        try
        {
            string id = await backend.Builder.BuildAsync(buildRequest with { ContextDirectory = contextDirectory.Path }, output, context.RequestAborted);
            if (quiet)
            {
                await output.WriteStreamAsync(id + "\n", context.RequestAborted);
            }
        }
        catch (BerthException e) when (output.Started || quiet)
        {
            await output.FailAsync(e.Message, e is BuildStepException step ? step.ExitCode : 0, context.RequestAborted);
        }
    }

    // Docker's answer for a daemon whose only builder is the classic one: its cache is dangling images (docker image prune).
    private static Task PruneAsync(HttpContext context) =>
        context.Response.WriteAsync("{\"CachesDeleted\":null,\"SpaceReclaimed\":0}\n", context.RequestAborted);

    private static void CheckPlatform(string platform)
    {
        string host = "linux/" + RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        if (platform.Length > 0 && !platform.Equals(host, StringComparison.OrdinalIgnoreCase) && !platform.Equals("linux", StringComparison.OrdinalIgnoreCase))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"platform \"{platform}\" is not supported: Berth builds for {host} only; omit --platform");
        }
    }

    private static Dictionary<string, string?> JsonMap(string json, string name, System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, string?>> type)
    {
        if (json.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(json, type) ?? [];
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid {name}: {e.Message}; give a JSON object of strings");
        }
    }
}
