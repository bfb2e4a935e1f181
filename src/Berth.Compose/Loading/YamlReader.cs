using System.Collections.Immutable;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Compose.Loading;

/// <summary>
/// Reads one compose file with YamlDotNet's representation model (no reflection: Native AOT safe) into
/// <see cref="ComposeNode"/>s, resolving YAML merge keys (<c>&lt;&lt;: *base</c>) on the way.
/// </summary>
internal static class YamlReader
{
    private const string MergeKey = "<<";

    /// <summary>The file's root mapping, or null when it cannot be read (the reason is in <paramref name="problems"/>).</summary>
    public static MappingNode? Read(string text, string displayName, ProblemList problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var cause = e.InnerException is YamlException inner ? inner : e;
            problems.Add(Mark(displayName, cause.Start), "", "not valid YAML: " + Describe(cause));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            problems.Add(new SourceMark(displayName, 1, 1), "", "the file is empty; a compose file needs at least services:");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            problems.Add(Mark(displayName, stream.Documents[1].RootNode.Start), "", "the file holds more than one YAML document; keep one per file");
        }

        var root = Convert(stream.Documents[0].RootNode, displayName, problems);
        if (root is MappingNode mapping)
        {
            return mapping;
        }

        problems.Add(root, "", $"the top level must be a mapping (services:, networks:, …), not {root.Kind}");
        return null;
    }

    private static ComposeNode Convert(YamlNode node, string file, ProblemList problems)
    {
        var mark = Mark(file, node.Start);
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        switch (node)
        {
            case YamlScalarNode scalar:
                return new ScalarNode(mark, scalar.Value ?? "", scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && tag is null) { Tag = tag };
            case YamlSequenceNode sequence:
                return new SequenceNode(mark, [.. sequence.Children.Select(c => Convert(c, file, problems))]) { Tag = tag };
            case YamlMappingNode map:
                var entries = ImmutableArray.CreateBuilder<MappingEntry>();
                var merged = new List<MappingEntry>();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode keyScalar)
                    {
                        problems.Add(Mark(file, key.Start), "", "a key must be a plain string, not a mapping or a list");
                        continue;
                    }

                    var keyNode = new ScalarNode(Mark(file, key.Start), keyScalar.Value ?? "", keyScalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                    var valueNode = Convert(value, file, problems);
                    if (keyNode.Value == MergeKey && keyNode.Plain)
                    {
                        merged.AddRange(MergeSources(valueNode, problems));
                        continue;
                    }

                    entries.Add(new MappingEntry(keyNode, valueNode));
                }

                // YAML merge keys: the mapping's own keys win over merged ones, earlier merged mappings over later ones.
                foreach (var entry in merged)
                {
                    if (!entries.Any(e => e.Key.Value == entry.Key.Value))
                    {
                        entries.Add(entry);
                    }
                }

                return new MappingNode(mark, entries.ToImmutable()) { Tag = tag };
            default:
                problems.Add(mark, "", "unsupported YAML node");
                return ScalarNode.Null(mark);
        }
    }

    private static IEnumerable<MappingEntry> MergeSources(ComposeNode value, ProblemList problems)
    {
        switch (value)
        {
            case MappingNode map:
                return map.Entries;
            case SequenceNode { Items: var items } when items.All(i => i is MappingNode):
                return items.Cast<MappingNode>().SelectMany(m => m.Entries);
            default:
                problems.Add(value, "", $"a merge key (<<) takes a mapping or a list of mappings, not {value.Kind}");
                return [];
        }
    }

    private static SourceMark Mark(string file, Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    /// <summary>YamlDotNet's message without its own "(Line: …, Col: …)" prefix: the position is printed in front already.</summary>
    private static string Describe(YamlException e)
    {
        var message = e.Message;
        var end = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && end >= 0 ? message[(end + 3)..] : message;
    }
}
