namespace Berth.Api.Contracts;

/// <summary><c>GET /version</c>. docker-py uses <see cref="ApiVersion"/> verbatim for every later call.</summary>
public sealed class VersionResponse
{
    public VersionPlatform Platform { get; set; } = new();

    public List<VersionComponent> Components { get; set; } = [];

    public string Version { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    public string MinAPIVersion { get; set; } = "";

    public string GitCommit { get; set; } = "";

    public string GoVersion { get; set; } = "";

    public string Os { get; set; } = "linux";

    public string Arch { get; set; } = "amd64";

    public string KernelVersion { get; set; } = "";

    public string BuildTime { get; set; } = "";
}

public sealed class VersionPlatform
{
    public string Name { get; set; } = "";
}

public sealed class VersionComponent
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    public Dictionary<string, string> Details { get; set; } = [];
}
