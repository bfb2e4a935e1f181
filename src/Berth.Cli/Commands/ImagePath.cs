namespace Berth.Cli.Commands;

/// <summary>
/// An image name in a request path, escaped as Go's <c>url.URL</c> escapes a path: slashes, colons and <c>@</c> kept
/// (<c>/images/127.0.0.1:5000/bb:latest/json</c>), as docker sends it.
/// </summary>
public static class ImagePath
{
    public static string Of(string name, string action = "") =>
        "/images/" + Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal).Replace("%40", "@", StringComparison.Ordinal) + (action.Length == 0 ? "" : "/" + action);
}
