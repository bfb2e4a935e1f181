namespace Berth.Runtime.Containers;

/// <summary>
/// The host's init for <c>--init</c>: <c>docker-init</c> on PATH as dockerd looks for it, else Debian's statically
/// linked <c>tini-static</c> (a dynamically linked tini would need the image's libc). Resolved to the file itself,
/// which is what is bound into the container.
/// </summary>
public static class InitBinary
{
    private static readonly string[] Names = ["docker-init", "tini-static"];

    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The init's path; null when the host has none.</summary>
    public static string? Path => Found.Value;

    private static string? Locate()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in Names)
        {
            foreach (string directory in directories)
            {
                var file = new FileInfo(System.IO.Path.Combine(directory, name));
                if (file.Exists)
                {
                    return file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file.FullName;
                }
            }
        }

        return null;
    }
}
