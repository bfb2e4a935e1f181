using Berth.Compose.Model;

namespace Berth.Compose.Loading;

internal sealed partial class ProjectBinder
{
    /// <summary><c>build:</c>: a context path, or a mapping whose <c>context</c> defaults to <c>.</c> (Compose Specification).</summary>
    private ComposeBuild? Build(ComposeNode node, string path)
    {
        if (node is ScalarNode { IsNull: true })
        {
            return null;
        }

        if (node is ScalarNode scalar)
        {
            return new ComposeBuild { Context = Context(scalar, path) };
        }

        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.Build);
        var build = new ComposeBuild { Context = context.WorkingDirectory };
        foreach (var entry in map.Entries)
        {
            var value = entry.Value;
            var at = Join(path, entry.Key.Value);
            build = entry.Key.Value switch
            {
                "context" => value is ScalarNode { IsNull: false } c ? build with { Context = Context(c, at) } : Invalid(build, value, at, "must be a directory path"),
                "dockerfile" => build with { Dockerfile = String(value, at) },
                "args" => build with { Args = StringMap(value, at, context.Lookup, '=') },
                "target" => build with { Target = String(value, at) },
                "labels" => build with { Labels = StringMap(value, at, _ => "", '=') },
                "network" => build with { Network = String(value, at) },
                "extra_hosts" => build with { ExtraHosts = ExtraHosts(value, at) },
                "no_cache" => build with { NoCache = Bool(value, at) },
                "pull" => build with { Pull = Bool(value, at) },
                _ => build,
            };
        }

        return build;
    }

    private string Context(ScalarNode node, string path)
    {
        if (node.Value.Length == 0)
        {
            problems.Add(node, path, "is empty; give the build context directory");
        }

        if (node.Value.Contains("://", StringComparison.Ordinal) || node.Value.StartsWith("git@", StringComparison.Ordinal))
        {
            problems.Add(node, path, $"\"{node.Value}\" is a remote context; berth compose builds from a local directory only");
        }

        return Path.GetFullPath(Path.Combine(context.WorkingDirectory, node.Value));
    }

    private ComposeBuild Invalid(ComposeBuild build, ComposeNode node, string path, string message)
    {
        problems.Add(node, path, message);
        return build;
    }
}
