using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Berth.Fuzzing;

/// <summary>CsCheck generators of hostile requests to the routes of <see cref="FuzzRoutes"/>.</summary>
public static class FuzzRequests
{
    /// <summary>The sizes: a 1 MB string, JSON nested 10,000 deep, a 64 KiB header (Kestrel's limit is 32 KiB).</summary>
    public const int HugeStringBytes = 1 << 20;
    public const int DeepNesting = 10_000;
    public const int HugeHeaderBytes = 64 << 10;

    /// <summary>A query value past Kestrel's 8 KiB request line (answered 414), now and then.</summary>
    public const int HugeQueryValueBytes = 8 << 10;

    private static readonly string[] QueryKeys =
    [
        "name", "force", "v", "t", "signal", "filters", "all", "tail", "since", "until", "follow", "stdout", "stderr", "timestamps",
        "fromSrc", "fromImage", "repo", "tag", "path", "noOverwriteDirNonDir", "copyUIDGID", "stream", "one-shot", "ps_args", "h", "w",
        "condition", "link", "dangling", "dockerfile", "buildargs", "labels", "networkmode", "rm", "forcerm", "q", "version", "names",
        "insertDefaults", "status", "size", "digests", "changes", "container", "comment", "pause", "term", "remote", "details",
    ];

    private static readonly string[] QueryValues =
    [
        "", "1", "0", "-1", "true", "false", "yes", "x", "99999999999999999999", "1e309", "NaN", "{", "}", "[]", "null", "%", "%zz",
        "{\"label\":[\"a=b\"]}", "{\"label\":{\"a\":true}}", "{\"dangling\":[\"maybe\"]}", "{\"until\":[\"not-a-date\"]}",
        "{\"name\":[\"[\"]}", "{\"nope\":[\"x\"]}", "{\"id\":\"notanarray\"}", "{\"label\":[1,2]}", "{\"reference\":[\"((\"]}",
        "SIGNOPE", "999", "KILL", "../../etc", "/", "/etc/passwd", "é☃", "\u0000", FuzzNames.UnreachableImage, "-",
        "{\"A\":\"" + new string('b', 100) + "\"}",
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "application/x-tar", "text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/x-gzip", ";;;"];

    /// <summary>A request to one of <see cref="FuzzRoutes.All"/> (uniformly), with <paramref name="image"/> as the image valid bodies use.</summary>
    public static Gen<FuzzRequest> For(IReadOnlyList<FuzzRoute> routes, string image) =>
        Gen.Int[0, routes.Count - 1].SelectMany(i => For(routes[i], image));

    public static Gen<FuzzRequest> For(FuzzRoute route, string image) =>
        Gen.Select(PathOf(route.Pattern), Query, OwnName(route), Headers, BodyOf(route, image), (path, query, own, headers, body) =>
            new FuzzRequest(route, route.Method, path + Join(query, own), headers.Headers, body.Bytes, body.ContentType ?? headers.ContentType, $"{body.What}{headers.What}"));

    // A container made with one of the fuzzer's own names is one the routes with {id} then find, start and break.
    private static Gen<string> OwnName(FuzzRoute route) => route.Body == FuzzBody.ContainerCreate
        ? Gen.Frequency((1, Gen.Const("")), (2, FuzzNames.Own.Select(name => "name=" + name)))
        : Gen.Const("");

    private static string Join(string query, string extra) => extra.Length == 0 ? query : query.Length == 0 ? "?" + extra : query + "&" + extra;

    private static Gen<string> PathOf(string pattern)
    {
        string[] segments = pattern.Split('/');
        var parts = segments.Select(segment => segment.StartsWith('{') ? FuzzNames.Any.Select(Escape) : Gen.Const(segment)).ToArray();
        return SequenceOf(parts).Select(values => string.Join('/', values));
    }

    private static Gen<string[]> SequenceOf(Gen<string>[] parts) =>
        parts.Aggregate(Gen.Const(Array.Empty<string>()), (acc, part) => Gen.Select(acc, part, (done, next) => done.Append(next).ToArray()));

    // Path segments keep a raw '/' sometimes (a name with a slash reaching a catch-all) and are escaped otherwise.
    private static string Escape(string value) => value.Contains('/', StringComparison.Ordinal) && value.Length % 2 == 0 ? value : Uri.EscapeDataString(value);

    private static Gen<string> Query { get; } =
        Gen.Select(Gen.Int[0, QueryKeys.Length - 1], Gen.Frequency((24, Gen.Int[0, QueryValues.Length - 1].Select(i => QueryValues[i])), (8, FuzzNames.Any), (1, Gen.Const(new string('q', HugeQueryValueBytes)))),
                (k, v) => $"{QueryKeys[k]}={Uri.EscapeDataString(v)}")
            .Array[0, 4]
            .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join('&', pairs));

    private sealed record HeaderSet(List<KeyValuePair<string, string>> Headers, string? ContentType, string What);

    private static Gen<HeaderSet> Headers { get; } = Gen.Frequency(
        (16, Gen.Const(new HeaderSet([], null, ""))),
        (1, Gen.Const(new HeaderSet([new("X-Fuzz", new string('h', HugeHeaderBytes))], null, ", huge header"))),
        (1, Gen.Int[0, ContentTypes.Length - 1].Select(i => new HeaderSet([], ContentTypes[i], ", content type " + ContentTypes[i]))),
        (1, Gen.Const(new HeaderSet([new("X-Registry-Auth", "!!!not-base64"), new("X-Registry-Config", "e30=====")], null, ", bad registry auth"))));

    private sealed record Body(byte[] Bytes, string? ContentType, string What);

    private static Gen<Body> BodyOf(FuzzRoute route, string image)
    {
        Gen<Body> json = JsonBody(route, image);
        return route.Body switch
        {
            FuzzBody.ArchiveTar or FuzzBody.ImageTar or FuzzBody.BuildTar => Gen.Frequency((4, FuzzTars.For(route.Body).Select(t => new Body(t.Bytes, "application/x-tar", t.What))), (1, json)),
            FuzzBody.None => Gen.Frequency((6, Gen.Const(new Body([], null, "no body"))), (1, json)),
            _ => json,
        };
    }

    private static Gen<Body> JsonBody(FuzzRoute route, string image) =>
        Gen.Select(FuzzNames.Any, Gen.Int[0, 15], Gen.Int[0, 1 << 16], (name, mutation, pick) =>
        {
            JsonObject shape = route.ValidBodies ? FuzzShapes.Of(route.Body, name, image) : FuzzShapes.Unacceptable(route.Body);
            string[] keys = [.. shape.Select(p => p.Key)];
            string key = keys.Length == 0 ? "X" : keys[pick % keys.Length];
            // A quarter of the bodies keep their valid shape (12-15 as 0), so valid requests make objects to break next.
            int m = mutation >= 12 ? 0 : mutation;
            string text;
            string what;
            switch (m)
            {
                case 0: text = shape.ToJsonString(); what = "valid shape"; break;
                case 1: shape.Remove(key); text = shape.ToJsonString(); what = $"missing {key}"; break;
                case 2: shape["Extra" + pick] = new JsonObject { ["x"] = pick }; text = shape.ToJsonString(); what = "extra field"; break;
                case 3: shape[key] = (pick % 3) switch { 0 => JsonValue.Create(pick), 1 => new JsonArray(1, "x"), _ => JsonValue.Create(true) }; text = shape.ToJsonString(); what = $"wrong type for {key}"; break;
                case 4: shape[key] = null; text = shape.ToJsonString(); what = $"null {key}"; break;
                case 5: shape[key] = new string('s', HugeStringBytes); text = shape.ToJsonString(); what = $"1 MB {key}"; break;
                case 6: text = string.Concat(Enumerable.Repeat("{\"a\":", DeepNesting)) + "1" + new string('}', DeepNesting); what = "deep object"; break;
                case 7: text = new string('[', DeepNesting) + new string(']', DeepNesting); what = "deep array"; break;
                case 8: text = shape.ToJsonString()[..^1 ]; what = "truncated"; break;
                case 9: text = (pick % 3) switch { 0 => "[]", 1 => "42", _ => "\"str\"" }; what = "not an object"; break;
                case 10: text = "\u00ff\u00fe{not json"; what = "not json"; break;
                default: text = ""; what = "empty"; break;
            }

            return new Body(Encoding.UTF8.GetBytes(text), "application/json", what);
        });
}
