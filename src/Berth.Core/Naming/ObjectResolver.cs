namespace Berth.Core.Naming;

/// <summary>
/// The one lookup of containers, networks, images and volumes by what a client typed, with Docker's order and
/// ambiguity rules (moby <c>daemon.GetContainer</c>, <c>daemon.FindNetwork</c>, the image service's
/// <c>GetImage</c>; volumes by name only). Pure: the caller passes the candidates it holds and how to read them.
/// </summary>
public static class ObjectResolver
{
    /// <summary>The prefix image ids carry; a term may give it or leave it out.</summary>
    public const string Sha256Prefix = "sha256:";

    /// <summary>
    /// Finds the one object <paramref name="term"/> names among <paramref name="candidates"/>.
    /// <paramref name="idOf"/> gives an object's full id (images: <c>sha256:</c> and 64 hex digits);
    /// <paramref name="hasName"/> says whether an object carries a name (containers: the name without <c>/</c>;
    /// images: the caller compares the parsed reference, or returns false when the term is not one).
    /// </summary>
    public static Resolution<T> Resolve<T>(ObjectKind kind, string? term, IEnumerable<T> candidates, Func<T, string> idOf, Func<T, string, bool> hasName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentNullException.ThrowIfNull(hasName);
        string text = term ?? "";
        if (text.Length == 0 || (kind == ObjectKind.Container && text == "/"))
        {
            return new(kind, text, ResolutionOutcome.Invalid, null, MatchedBy.None, 0);
        }

        var all = candidates as IReadOnlyCollection<T> ?? [.. candidates];
        if (kind == ObjectKind.Volume)
        {
            var named = all.FirstOrDefault(v => hasName(v, text));
            return named is null ? NotFound<T>(kind, text) : new(kind, text, ResolutionOutcome.Found, named, MatchedBy.Name, 1);
        }

        string idTerm = kind == ObjectKind.Image ? ImageIdHex(text) : text;
        var byId = all.FirstOrDefault(c => IdHex(kind, idOf(c)) == idTerm);
        if (byId is not null)
        {
            return new(kind, text, ResolutionOutcome.Found, byId, MatchedBy.FullId, 1);
        }

        // A name is never tried for an explicit sha256: id (moby parses it as a digest, not a reference).
        if (!(kind == ObjectKind.Image && text.StartsWith(Sha256Prefix, StringComparison.Ordinal)))
        {
            string name = kind == ObjectKind.Container ? text.TrimStart('/') : text;
            var byName = all.Where(c => hasName(c, name)).Take(2).ToList();
            if (byName.Count == 1)
            {
                return new(kind, text, ResolutionOutcome.Found, byName[0], MatchedBy.Name, 1);
            }

            if (byName.Count > 1)
            {
                return new(kind, text, ResolutionOutcome.AmbiguousName, null, MatchedBy.None, all.Count(c => hasName(c, name)));
            }
        }

        if (kind == ObjectKind.Image && !IsHex(idTerm))
        {
            return NotFound<T>(kind, text);
        }

        var byPrefix = all.Where(c => IdHex(kind, idOf(c)).StartsWith(idTerm, StringComparison.Ordinal)).ToList();
        return byPrefix.Count switch
        {
            0 => NotFound<T>(kind, text),
            1 => new(kind, text, ResolutionOutcome.Found, byPrefix[0], MatchedBy.IdPrefix, 1),
            _ => new(kind, text, ResolutionOutcome.AmbiguousPrefix, null, MatchedBy.None, byPrefix.Count),
        };
    }

    /// <summary>
    /// A container by what a client typed (full id, then name with or without <c>/</c>, then a unique id prefix),
    /// with Docker's errors; the engine works with the <see cref="Containers.ContainerId"/> of the match from then on.
    /// </summary>
    public static Resolution<T> ResolveContainer<T>(string? term, IEnumerable<T> candidates, Func<T, Containers.ContainerId> idOf, Func<T, string> nameOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentNullException.ThrowIfNull(nameOf);
        return Resolve(ObjectKind.Container, term, candidates, c => idOf(c).Value, (c, name) => nameOf(c) == name);
    }

    private static Resolution<T> NotFound<T>(ObjectKind kind, string term)
        where T : class => new(kind, term, ResolutionOutcome.NotFound, null, MatchedBy.None, 0);

    /// <summary>Images compare ids without <c>sha256:</c>, so that both spellings of the term match.</summary>
    private static string IdHex(ObjectKind kind, string id) =>
        kind == ObjectKind.Image ? ImageIdHex(id) : id;

    private static string ImageIdHex(string id) =>
        id.StartsWith(Sha256Prefix, StringComparison.Ordinal) ? id[Sha256Prefix.Length..] : id;

    private static bool IsHex(string text) => text.Length > 0 && text.All(char.IsAsciiHexDigitLower);
}
