using System.Collections.Immutable;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Api.Http;

/// <summary>
/// The <c>filters</c> query parameter (moby <c>api/types/filters.Args</c>), accepted in both encodings:
/// the Go map form <c>{"label":{"foo=bar":true}}</c> and docker-py's list form <c>{"label":["a=b"]}</c>.
/// Terms of one key are alternatives, except <c>label</c> where every term must match; keys combine with AND.
/// </summary>
internal sealed class FilterArgs
{
    public static readonly FilterArgs Empty = new(ImmutableDictionary<string, ImmutableArray<string>>.Empty);

    private FilterArgs(ImmutableDictionary<string, ImmutableArray<string>> fields)
    {
        Fields = fields;
    }

    public ImmutableDictionary<string, ImmutableArray<string>> Fields { get; }

    public static FilterArgs Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("filters must be a JSON object such as {\"label\":{\"a=b\":true}}");
            }

            var fields = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
            foreach (JsonProperty field in document.RootElement.EnumerateObject())
            {
                var terms = ImmutableArray.CreateBuilder<string>();
                switch (field.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (JsonProperty term in field.Value.EnumerateObject())
                        {
                            if (term.Value.ValueKind == JsonValueKind.True)
                            {
                                terms.Add(term.Name);
                            }
                            else if (term.Value.ValueKind != JsonValueKind.False)
                            {
                                throw Invalid($"filter \"{field.Name}\": term \"{term.Name}\" must map to true or false");
                            }
                        }

                        break;
                    case JsonValueKind.Array:
                        foreach (JsonElement term in field.Value.EnumerateArray())
                        {
                            terms.Add(term.ValueKind == JsonValueKind.String
                                ? term.GetString()!
                                : throw Invalid($"filter \"{field.Name}\": every term must be a string"));
                        }

                        break;
                    default:
                        throw Invalid($"filter \"{field.Name}\" must be an object of terms or a list of strings");
                }

                fields[field.Name] = fields.TryGetValue(field.Name, out var earlier) ? earlier.AddRange(terms) : terms.ToImmutable();
            }

            return new FilterArgs(fields.ToImmutable());
        }
        catch (JsonException e)
        {
            throw Invalid(e.Message);
        }
    }

    public bool Contains(string key) => Fields.ContainsKey(key);

    public ImmutableArray<string> Get(string key) => Fields.TryGetValue(key, out var terms) ? terms : [];

    /// <summary>Refuses keys not in <paramref name="accepted"/>: <c>invalid filter 'x'</c>, as moby does.</summary>
    public void Validate(IReadOnlySet<string> accepted)
    {
        foreach (string key in Fields.Keys.Order(StringComparer.Ordinal))
        {
            if (!accepted.Contains(key))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid filter '{key}'");
            }
        }
    }

    /// <summary>True when the key is absent or one of its terms satisfies <paramref name="match"/>.</summary>
    public bool MatchAny(string key, Func<string, bool> match) => !Fields.TryGetValue(key, out var terms) || terms.Any(match);

    /// <summary>
    /// moby's <c>MatchKVList</c>: true when the key is absent, or every term (<c>k</c> or <c>k=v</c>) is
    /// found in <paramref name="labels"/>.
    /// </summary>
    public bool MatchLabels(string key, IReadOnlyDictionary<string, string> labels)
    {
        if (!Fields.TryGetValue(key, out var terms))
        {
            return true;
        }

        foreach (string term in terms)
        {
            int eq = term.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? term : term[..eq];
            if (!labels.TryGetValue(name, out string? value))
            {
                return false;
            }

            if (eq >= 0 && value != term[(eq + 1)..])
            {
                return false;
            }
        }

        return true;
    }

    private static BerthException Invalid(string detail) =>
        new(ErrorKind.InvalidArgument, $"invalid filters: {detail}");
}
