namespace Berth.Cli.Commands;

/// <summary>An image name in a request path: escaped, but its slashes kept (<c>/images/127.0.0.1:5000/bb:latest/json</c>), as docker sends it.</summary>
public static class ImagePath
{
    public static string Of(string name, string action = "") =>
        "/images/" + Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal) + (action.Length == 0 ? "" : "/" + action);
}
