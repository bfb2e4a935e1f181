namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Compose's log prefixes: the container name padded to the longest, then <c>| </c>, coloured per service on a terminal
/// (compose's palette: cyan, yellow, green, magenta, blue, then their bright forms).
/// </summary>
public static class LogPrefixes
{
    private const string Reset = "\u001b[0m";

    private static readonly string[] Palette = ["36", "33", "32", "35", "34", "1;36", "1;33", "1;32", "1;35", "1;34"];

    /// <summary>Container name → prefix; <paramref name="services"/> gives each container's service, whose place in the sorted list picks the colour.</summary>
    public static Dictionary<string, string> For(IReadOnlyList<(string Service, string Name)> containers, bool color)
    {
        var width = containers.Count == 0 ? 0 : containers.Max(c => c.Name.Length);
        var services = containers.Select(c => c.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (service, name) in containers)
        {
            var text = name.PadRight(width) + "  | ";
            prefixes[name] = color ? "\u001b[" + Palette[services.IndexOf(service) % Palette.Length] + "m" + text + Reset : text;
        }

        return prefixes;
    }
}
