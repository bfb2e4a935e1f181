using System.Collections.Immutable;
using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

/// <summary>
/// Turns the merged, interpolated tree of a project into the model, checking every value against its type and every
/// reference against what is defined, and recording each problem (with where it is) instead of stopping at the first.
/// Split by phase: services, networks and volumes, and the cross checks made once everything is bound.
/// </summary>
internal sealed partial class ProjectBinder(ProblemList problems, ComposeLoadContext context)
{
    private readonly List<Reference> networkReferences = [];
    private readonly List<Reference> dependencies = [];
    private readonly List<Reference> networkModeReferences = [];
    private readonly List<Reference> volumeReferences = [];
    private readonly List<FixedAddress> fixedAddresses = [];

    public ComposeProject Bind(MappingNode root)
    {
        CheckKeys(root, "", ComposeKeys.TopLevel);
        if (root["version"] is { } version)
        {
            _ = String(version, "version");
        }

        var networks = new SortedDictionary<string, ComposeNetwork>(StringComparer.Ordinal);
        foreach (var (key, node) in Entries(root["networks"], "networks"))
        {
            if (BindNetwork(key.Value, node, "networks." + key.Value) is { } network)
            {
                networks[key.Value] = network;
            }
        }

        var volumes = new SortedDictionary<string, ComposeVolume>(StringComparer.Ordinal);
        foreach (var (key, node) in Entries(root["volumes"], "volumes"))
        {
            if (BindVolume(key.Value, node, "volumes." + key.Value) is { } volume)
            {
                volumes[key.Value] = volume;
            }
        }

        var services = new SortedDictionary<string, (ComposeService Service, ScalarNode Key)>(StringComparer.Ordinal);
        // A file without services: (only networks: or volumes:, as a fragment or an override) loads as an empty project.
        foreach (var (key, node) in Entries(root["services"], "services"))
        {
            if (!IsName(key.Value))
            {
                problems.Add(key, "services", $"\"{key.Value}\" is not a valid service name; use letters, digits, \"_\", \"-\" and \".\"");
            }

            if (BindService(key.Value, node, "services." + key.Value) is { } service)
            {
                services[key.Value] = (service, key);
            }
        }

        var secrets = context.Stack ? FileObjects(root["secrets"], "secrets") : ImmutableSortedDictionary<string, ComposeFileObject>.Empty;
        var configs = context.Stack ? FileObjects(root["configs"], "configs") : ImmutableSortedDictionary<string, ComposeFileObject>.Empty;
        var active = services.Values.Where(s => IsActive(s.Service)).ToDictionary(s => s.Service.Name, s => s.Service, StringComparer.Ordinal);
        if (active.Values.Any(s => s.Networks.Any(n => n.Network == DefaultNetwork)) && !networks.ContainsKey(DefaultNetwork))
        {
            networks[DefaultNetwork] = new ComposeNetwork { Key = DefaultNetwork, Name = $"{context.ProjectName}_{DefaultNetwork}" };
        }

        CheckReferences(services.ToDictionary(s => s.Key, s => s.Value.Service, StringComparer.Ordinal), active, networks, volumes);
        CheckFileReferences(secrets, configs);
        return new ComposeProject
        {
            Secrets = secrets,
            Configs = configs,
            UnsupportedStackOptions = [.. unsupportedStackOptions],
            DeprecatedStackOptions = deprecatedStackOptions.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Name = context.ProjectName,
            WorkingDirectory = context.WorkingDirectory,
            ConfigFiles = context.ConfigFiles,
            Services = active.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Networks = networks.ToImmutableSortedDictionary(StringComparer.Ordinal),
            Volumes = volumes.ToImmutableSortedDictionary(StringComparer.Ordinal),
        };
    }

    private const string DefaultNetwork = "default";

    /// <summary>A service without profiles is always active; one with profiles only when one of them is enabled.</summary>
    private bool IsActive(ComposeService service) =>
        service.Profiles.IsEmpty || service.Profiles.Any(p => context.Profiles.Contains(p) || context.Profiles.Contains("*"));

    private static bool IsName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    // ----- typed reads: each returns a default and records a problem when the node has the wrong type -----

    private void CheckKeys(MappingNode map, string path, KeySet keys)
    {
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Value;
            if (!keys.IsKnown(key))
            {
                problems.Add(entry.Key, path, $"unknown key \"{key}\"{keys.Hint(key)}");
            }
            else if (context.Stack && keys == ComposeKeys.Service && StackKeys.IsReported(key))
            {
                // Listed on the project (or refused) in docker's words by CheckStackKeys.
            }
            else if (!keys.IsRead(key, context.Stack) && !keys.Modelled.Contains(key))
            {
                problems.Warn(entry.Key, Join(path, key), $"not supported by berth {(context.Stack ? "stack" : "compose")} yet; ignored");
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The entries of a mapping (a null node or null value gives none).</summary>
    private IEnumerable<(ScalarNode Key, ComposeNode Value)> Entries(ComposeNode? node, string path) =>
        Mapping(node, path)?.Entries.Select(e => (e.Key, e.Value)) ?? [];

    /// <summary>A mapping; a null value is an empty one; anything else is a problem (null returned).</summary>
    private MappingNode? Mapping(ComposeNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case MappingNode map:
                return map;
            case ScalarNode { IsNull: true }:
                return new MappingNode(node.Mark, []);
            default:
                problems.Add(node, path, $"must be a mapping, not {Describe(node)}");
                return null;
        }
    }

    private string? String(ComposeNode node, string path)
    {
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode scalar:
                return scalar.Value;
            default:
                problems.Add(node, path, $"must be a string, not {Describe(node)}");
                return null;
        }
    }

    private bool Bool(ComposeNode node, string path)
    {
        if (node is ScalarNode { IsNull: false } scalar)
        {
            switch (scalar.Value.ToLowerInvariant())
            {
                case "true" or "yes" or "on" or "y":
                    return true;
                case "false" or "no" or "off" or "n":
                    return false;
            }
        }

        problems.Add(node, path, $"must be true or false, not {Describe(node)}");
        return false;
    }

    private int? Int(ComposeNode node, string path, int minimum = 0)
    {
        if (node is ScalarNode { IsNull: false } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        problems.Add(node, path, $"must be a whole number of at least {minimum}, not {Describe(node)}");
        return null;
    }

    private TimeSpan? Duration(ComposeNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        if (ComposeDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        problems.Add(node, path, $"\"{text}\" is not a duration; write it like 1m30s, 10s or 500ms");
        return null;
    }

    /// <summary>A list of strings; with <paramref name="single"/> a lone string is a one-item list.</summary>
    private ImmutableArray<string> Strings(ComposeNode node, string path, bool single = false)
    {
        if (single)
        {
            node = NodeForms.ToSequence(node);
        }

        if (node is ScalarNode { IsNull: true })
        {
            return [];
        }

        if (node is not SequenceNode sequence)
        {
            problems.Add(node, path, $"must be a list{(single ? " or a string" : "")}, not {Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            if (String(sequence.Items[i], $"{path}[{i}]") is { } item)
            {
                result.Add(item);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// A string map from the mapping or the list (<c>KEY=VALUE</c>) form. A key without a value goes through
    /// <paramref name="valueless"/> (null leaves the key out).
    /// </summary>
    private ImmutableSortedDictionary<string, string> StringMap(ComposeNode node, string path, Func<string, string?> valueless, params char[] separators)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(NodeForms.ToMapping(node, separators), path))
        {
            var text = value is ScalarNode { IsNull: true } ? valueless(key.Value) : String(value, Join(path, key.Value));
            if (text is not null)
            {
                result[key.Value] = text;
            }
        }

        return result.ToImmutable();
    }

    private static string Describe(ComposeNode node) => node switch
    {
        ScalarNode { IsNull: true } => "null",
        ScalarNode scalar => $"\"{scalar.Value}\"",
        _ => node.Kind,
    };

    /// <summary>One service's reference to something defined elsewhere in the project, kept for the cross checks.</summary>
    private sealed record Reference(string Service, string Target, ComposeNode Node, string Path, DependencyCondition Condition = DependencyCondition.Started);

    /// <summary>A fixed <c>ipv4_address</c>/<c>ipv6_address</c> of a service on a network.</summary>
    private sealed record FixedAddress(string Service, string Network, System.Net.IPAddress Address, string Key, ComposeNode Node, string Path);
}
