using System.Collections.Immutable;
using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

/// <summary>
/// What only a stack reads: docker's rules for service keys a swarm cannot use, the top-level <c>secrets:</c> and
/// <c>configs:</c>, and the services' references to them.
/// </summary>
internal sealed partial class ProjectBinder
{
    private readonly SortedSet<string> unsupportedStackOptions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> deprecatedStackOptions = new(StringComparer.Ordinal);
    private readonly List<Reference> secretReferences = [];
    private readonly List<Reference> configReferences = [];

    /// <summary>docker's CLI lists the unsupported and deprecated keys (and goes on), and refuses the forbidden ones.</summary>
    private void CheckStackKeys(MappingNode service, string path)
    {
        foreach (var entry in service.Entries)
        {
            var key = entry.Key.Value;
            if (StackKeys.Unsupported.Contains(key))
            {
                unsupportedStackOptions.Add(key);
            }
            else if (StackKeys.Deprecated.TryGetValue(key, out var reason))
            {
                deprecatedStackOptions[key] = reason;
            }
            else if (StackKeys.Forbidden.TryGetValue(key, out var instead))
            {
                problems.Add(entry.Key, Join(path, key), $"not supported in a stack: {instead}");
            }
        }
    }

    private ImmutableSortedDictionary<string, ComposeFileObject> FileObjects(ComposeNode? node, string path)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, ComposeFileObject>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(node, path))
        {
            var at = Join(path, key.Value);
            if (Mapping(value, at) is not { } map)
            {
                continue;
            }

            CheckKeys(map, at, ComposeKeys.FileObject);
            var item = new ComposeFileObject { Key = key.Value };
            string? externalName = null;
            foreach (var entry in map.Entries)
            {
                var field = Join(at, entry.Key.Value);
                switch (entry.Key.Value)
                {
                    case "file":
                        item = item with { File = String(entry.Value, field) is { } file ? HostPath(file) : null };
                        break;
                    case "external":
                        (var external, externalName) = External(entry.Value, field);
                        item = item with { External = external };
                        break;
                    case "name":
                        item = item with { Name = String(entry.Value, field) };
                        break;
                    case "labels":
                        item = item with { Labels = StringMap(entry.Value, field, _ => "", '=') };
                        break;
                }
            }

            item = item with { Name = item.Name ?? externalName };
            if (item.External && item.File is not null)
            {
                problems.Add(map["file"]!, Join(at, "file"), "an external one is made elsewhere; remove file: or external:");
            }
            else if (!item.External && item.File is null)
            {
                problems.Add(map, at, "needs file: (its content) or external: true");
            }
            else if (item.File is { } file && !File.Exists(file))
            {
                problems.Add(map["file"]!, Join(at, "file"), $"{file} not found; fix the path");
            }

            result[key.Value] = item;
        }

        return result.ToImmutable();
    }

    private ImmutableArray<ServiceFileReference> FileReferences(string service, ComposeNode node, string path, List<Reference> references)
    {
        if (node is not SequenceNode sequence)
        {
            problems.Add(node, path, $"must be a list, not {Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<ServiceFileReference>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            var item = sequence.Items[i];
            var at = $"{path}[{i}]";
            ServiceFileReference? reference = null;
            if (item is MappingNode map)
            {
                CheckKeys(map, at, ComposeKeys.FileReference);
                if (map["source"] is { } source && String(source, Join(at, "source")) is { } name)
                {
                    reference = new ServiceFileReference(name)
                    {
                        Target = map["target"] is { } t ? String(t, Join(at, "target")) : null,
                        Uid = map["uid"] is { } u ? String(u, Join(at, "uid")) : null,
                        Gid = map["gid"] is { } g ? String(g, Join(at, "gid")) : null,
                        Mode = map["mode"] is { } m ? FileMode(m, Join(at, "mode")) : null,
                    };
                }
                else
                {
                    problems.Add(map, at, "needs source: (the key of a top-level entry)");
                }
            }
            else if (String(item, at) is { } name)
            {
                reference = new ServiceFileReference(name);
            }

            if (reference is not null)
            {
                references.Add(new Reference(service, reference.Source, item, at));
                result.Add(reference);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>A file mode: YAML reads <c>0440</c> as octal, as docker's loader does; a plain number is decimal.</summary>
    private uint? FileMode(ComposeNode node, string path)
    {
        var text = String(node, path);
        if (text is null)
        {
            return null;
        }

        var octal = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text.Length > 1 && text[0] == '0' ? text[1..] : null;
        try
        {
            return octal is not null ? Convert.ToUInt32(octal, 8) : uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            problems.Add(node, path, $"\"{text}\" is not a file mode (such as 0440)");
            return null;
        }
    }

    private void CheckFileReferences(
        ImmutableSortedDictionary<string, ComposeFileObject> secrets, ImmutableSortedDictionary<string, ComposeFileObject> configs)
    {
        foreach (var (references, defined, kind) in new[] { (secretReferences, secrets, "secret"), (configReferences, configs, "config") })
        {
            foreach (var reference in references.Where(r => !defined.ContainsKey(r.Target)))
            {
                problems.Add(reference.Node, reference.Path, $"undefined {kind} \"{reference.Target}\"; define it under the top-level {kind}s:");
            }
        }
    }
}
