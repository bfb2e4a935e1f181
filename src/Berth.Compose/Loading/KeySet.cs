namespace Berth.Compose.Loading;

/// <summary>
/// The keys one mapping of a compose file may hold: those Berth acts on, those only a stack acts on (a compose project
/// ignores them with a warning), those the Compose Specification defines but Berth ignores (loaded with a warning), and
/// whether <c>x-</c> extension keys are allowed. Anything else is an unknown key.
/// </summary>
internal sealed record KeySet(string Where, IReadOnlySet<string> Modelled, IReadOnlySet<string> Ignored, bool Extensions = false)
{
    public IReadOnlySet<string> StackOnly { get; init; } = new HashSet<string>();

    public static KeySet Of(string where, string modelled, string ignored = "", bool extensions = false, string stackOnly = "") =>
        new(where, Words(modelled), Words(ignored), extensions) { StackOnly = Words(stackOnly) };

    public bool IsKnown(string key) =>
        Modelled.Contains(key) || StackOnly.Contains(key) || Ignored.Contains(key) || (Extensions && key.StartsWith("x-", StringComparison.Ordinal));

    /// <summary>Read by this kind of load (a compose project does not read the stack-only keys).</summary>
    public bool IsRead(string key, bool stack) => Modelled.Contains(key) || (stack && StackOnly.Contains(key));

    /// <summary>A hint for an unknown key: the nearest known key when it is close (a typo), else the list when it is short.</summary>
    public string Hint(string key)
    {
        var all = Modelled.Concat(StackOnly).Concat(Ignored).Order(StringComparer.Ordinal).ToList();
        var nearest = all.Select(k => (Key: k, Distance: EditDistance(key, k))).OrderBy(k => k.Distance).FirstOrDefault();
        if (nearest.Key is not null && nearest.Distance <= Math.Max(1, key.Length / 3))
        {
            return $"; did you mean \"{nearest.Key}\"?";
        }

        return all.Count <= 12 ? $"; {Where} takes {string.Join(", ", all)}" : $"; see the Compose Specification for what {Where} takes";
    }

    private static HashSet<string> Words(string text) => new(text.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
