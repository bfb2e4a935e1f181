namespace Berth.Compose.Loading;

/// <summary>Compose's project name rules: lowercase letters, digits, <c>_</c> and <c>-</c>, starting with a letter or digit.</summary>
public static class ProjectName
{
    public static bool IsValid(string name) =>
        name.Length > 0 && IsAllowed(name[0]) && name[0] is not ('_' or '-') && name.All(IsAllowed);

    /// <summary>A directory name made into a project name: lowercased, other characters dropped, leading <c>_</c>/<c>-</c> trimmed.</summary>
    public static string Normalize(string name) =>
        new string([.. name.ToLowerInvariant().Where(IsAllowed)]).TrimStart('_', '-');

    private static bool IsAllowed(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-';
}
