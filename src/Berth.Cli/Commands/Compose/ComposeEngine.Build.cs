using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>Builds each service's image from its <c>build:</c>, one at a time (docker-compose 1.29's order: by name).</summary>
    public async Task BuildAsync(IEnumerable<ComposeService> services, BuildOptions options, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            if (service.Build is null)
            {
                if (!options.Quiet)
                {
                    Status($"{service.Name} uses an image, skipping");
                }

                continue;
            }

            await BuildAsync(service, service.Build, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task BuildAsync(ComposeService service, ComposeBuild build, BuildOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(build.Context))
        {
            throw new StatusException(ExitCodes.Failure, $"service \"{service.Name}\": build context {build.Context} is not a directory; fix build: in the compose file");
        }

        if (!options.Quiet)
        {
            Status($"Building {service.Name}");
        }

        await ContextBuild.RunAsync(context, build.Context, build.Dockerfile ?? "Dockerfile", BuildQuery(service, build, options), options.Quiet, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The <c>POST /build</c> query for one service: the image it runs as the tag, <c>build:</c>'s fields, then the flags.</summary>
    internal static List<string> BuildQuery(ComposeService service, ComposeBuild build, BuildOptions options)
    {
        var args = build.Args.ToDictionary(a => a.Key, string? (a) => a.Value, StringComparer.Ordinal);
        foreach (var (name, value) in options.BuildArgs)
        {
            args[name] = value;
        }

        var query = new List<string>
        {
            "dockerfile=" + Uri.EscapeDataString(build.Dockerfile ?? "Dockerfile"),
            "t=" + Uri.EscapeDataString(service.Image!),
            "buildargs=" + ContextBuild.JsonMap(args),
            "labels=" + ContextBuild.JsonMap(build.Labels.Select(l => KeyValuePair.Create(l.Key, (string?)l.Value))),
            "rm=1",
        };
        if (build.Target is { } target)
        {
            query.Add("target=" + Uri.EscapeDataString(target));
        }

        if (build.Network is { } network)
        {
            query.Add("networkmode=" + Uri.EscapeDataString(network));
        }

        if (!build.ExtraHosts.IsEmpty)
        {
            query.Add("extrahosts=" + Uri.EscapeDataString(string.Join(',', build.ExtraHosts)));
        }

        if (build.NoCache || options.NoCache)
        {
            query.Add("nocache=1");
        }

        if (build.Pull || options.Pull)
        {
            query.Add("pull=1");
        }

        if (options.Quiet)
        {
            query.Add("q=1");
        }

        return query;
    }
}
