using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth build [OPTIONS] PATH</c>: the docker CLI's legacy builder. The context directory goes as a tar (entries the
/// <c>.dockerignore</c> excludes left out, the Dockerfile and .dockerignore always sent, as docker does) to
/// <c>POST /build</c>, the flags as its query; the JSON message stream is printed as docker prints it.
/// </summary>
public sealed class ImageBuildCommand(string path = "berth image build") : CliCommand
{
    public override string Path => path;

    public override string Arguments => "[OPTIONS] PATH";

    public override string Description => "Build an image from a Dockerfile";

    public override IReadOnlyList<string> Aliases => ["berth image build", "berth build", "berth builder build"];

    protected override int MinArguments => 1;

    protected override int MaxArguments => 1;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("add-host", null, "list", "Add a custom host-to-IP mapping (host:ip)"),
        new("build-arg", null, "list", "Set build-time variables"),
        new("file", 'f', "string", "Name of the Dockerfile (Default is 'PATH/Dockerfile')"),
        new("force-rm", null, null, "Always remove intermediate containers"),
        new("label", null, "list", "Set metadata for an image"),
        new("network", null, "string", "Set the networking mode for the RUN instructions during build (default \"default\")"),
        new("no-cache", null, null, "Do not use cache when building the image"),
        new("pull", null, null, "Always attempt to pull a newer version of the image"),
        new("quiet", 'q', null, "Suppress the build output and print image ID on success"),
        new("rm", null, null, "Remove intermediate containers after a successful build (default true)"),
        new("tag", 't', "list", "Name and optionally a tag in the 'name:tag' format"),
        new("target", null, "string", "Set the target build stage to build."),
    ];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        string directory = System.IO.Path.GetFullPath(args.Positionals[0]);
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"unable to prepare context: path \"{args.Positionals[0]}\" not found");
        }

        string dockerfile = args.Last("file") is { Length: > 0 } file
            ? System.IO.Path.GetRelativePath(directory, System.IO.Path.GetFullPath(file)).Replace('\\', '/')
            : "Dockerfile";
        await ContextBuild.RunAsync(context, directory, dockerfile, Query(args, dockerfile), args.IsSet("quiet"), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static List<string> Query(ParsedArgs args, string dockerfile)
    {
        var query = new List<string> { "dockerfile=" + Uri.EscapeDataString(dockerfile) };
        query.AddRange(args.All("tag").Select(t => "t=" + Uri.EscapeDataString(t)));
        query.Add("buildargs=" + ContextBuild.JsonMap(Pairs(args.All("build-arg"), fromEnvironment: true)));
        query.Add("labels=" + ContextBuild.JsonMap(Pairs(args.All("label"), fromEnvironment: false)));
        if (args.Last("target") is { Length: > 0 } target)
        {
            query.Add("target=" + Uri.EscapeDataString(target));
        }

        if (args.Last("network") is { Length: > 0 } network)
        {
            query.Add("networkmode=" + Uri.EscapeDataString(network));
        }

        if (args.All("add-host").Count > 0)
        {
            query.Add("extrahosts=" + Uri.EscapeDataString(string.Join(',', args.All("add-host"))));
        }

        query.Add("rm=" + (args.Has("rm") ? args.IsSet("rm") ? "1" : "0" : "1"));
        foreach (var (flag, name) in new[] { ("no-cache", "nocache"), ("force-rm", "forcerm"), ("quiet", "q"), ("pull", "pull") })
        {
            if (args.IsSet(flag))
            {
                query.Add(name + "=1");
            }
        }

        return query;
    }

    // docker: --build-arg NAME without "=" takes NAME from the client's environment, or is left unset.
    internal static Dictionary<string, string?> Pairs(IEnumerable<string> pairs, bool fromEnvironment)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            map[equals < 0 ? pair : pair[..equals]] = equals >= 0 ? pair[(equals + 1)..] : fromEnvironment ? Environment.GetEnvironmentVariable(pair) : "";
        }

        return map;
    }
}
