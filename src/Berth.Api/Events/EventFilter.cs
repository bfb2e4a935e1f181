using Berth.Api.Http;
using Berth.Runtime.Engine;

namespace Berth.Api.Events;

/// <summary>
/// <c>GET /events?filters=</c> as moby's <c>daemon/events/filter.go</c> applies them: <c>type</c> and <c>scope</c>
/// exact; <c>event</c> exact (a bare <c>health_status</c>, <c>exec_create</c> or <c>exec_start</c> also matches
/// the longer actions that begin with it); <c>container</c>, <c>network</c>, <c>daemon</c>, <c>volume</c>,
/// <c>plugin</c>, <c>node</c>, <c>service</c>, <c>secret</c>, <c>config</c> by the actor's id or <c>name</c>
/// attribute, exactly or as a prefix; <c>image</c> by the actor's id or image name, with or without its tag;
/// <c>label</c> on the attributes, every term. Terms of one key are alternatives; keys combine with AND.
/// </summary>
internal sealed class EventFilter
{
    /// <summary>The keys that name an object and match its id or name.</summary>
    private static readonly string[] NameKeys = ["config", "container", "daemon", "network", "node", "plugin", "secret", "service", "volume"];

    private static readonly HashSet<string> AcceptedKeys = [.. NameKeys, "event", "image", "label", "scope", "type"];

    private static readonly string[] PrefixActions = ["health_status", "exec_create", "exec_start"];

    private readonly FilterArgs _filters;
    private readonly bool _fuzzyEvent;

    private EventFilter(FilterArgs filters)
    {
        _filters = filters;
        _fuzzyEvent = filters.Get("event").Any(term => PrefixActions.Contains(term));
    }

    public static EventFilter Create(FilterArgs filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate(AcceptedKeys);
        return new EventFilter(filters);
    }

    public bool Matches(EngineEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string name = e.Attributes.GetValueOrDefault("name", "");
        return _filters.MatchAny("event", term => _fuzzyEvent ? Fuzzy(term, e.Action) : term == e.Action)
            && _filters.MatchAny("type", term => term == e.Type)
            && _filters.MatchAny("scope", term => term == "local")
            && NameKeys.All(key => _filters.MatchAny(key, term => Fuzzy(term, e.ActorId) || Fuzzy(term, name)))
            && MatchesImage(e)
            && _filters.MatchLabels("label", e.Attributes);
    }

    private bool MatchesImage(EngineEvent e)
    {
        string image = e.Attributes.GetValueOrDefault(e.Type == "image" ? "name" : "image", "");
        return _filters.MatchAny("image", term => term == e.ActorId || term == image || term == StripTag(e.ActorId) || term == StripTag(image));
    }

    /// <summary>moby's <c>FuzzyMatch</c>: equal, or a prefix of the source.</summary>
    private static bool Fuzzy(string term, string source) => source.StartsWith(term, StringComparison.Ordinal);

    /// <summary>An image reference without its tag (<c>nginx:alpine</c> → <c>nginx</c>); a registry port stays.</summary>
    private static string StripTag(string reference)
    {
        int colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
    }
}
