namespace Berth.Core.Naming;

/// <summary>Go's <c>path/filepath.Clean</c> for slash paths: one slash between names, no <c>.</c>, <c>..</c> resolved lexically.</summary>
public static class GoPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }
        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                parts.Add(part);
            }
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>filepath.Dir of a cleaned relative path: everything before the last slash, or <c>.</c>.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path[..slash];
    }
}
