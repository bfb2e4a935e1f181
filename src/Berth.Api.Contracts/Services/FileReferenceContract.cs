using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>ContainerSpec.Secrets[]</c>: moby's <c>SecretReference</c>.</summary>
public sealed class SecretReferenceContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileTargetContract? File { get; set; }

    public string? SecretID { get; set; }

    public string? SecretName { get; set; }
}

/// <summary><c>ContainerSpec.Configs[]</c>: moby's <c>ConfigReference</c> (a <c>Runtime</c> target is for Windows credential specs).</summary>
public sealed class ConfigReferenceContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileTargetContract? File { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EmptyObjectContract? Runtime { get; set; }

    public string? ConfigID { get; set; }

    public string? ConfigName { get; set; }
}

/// <summary>moby's <c>SecretReferenceFileTarget</c>/<c>ConfigReferenceFileTarget</c>: <c>Mode</c> is Go's <c>os.FileMode</c>, a number.</summary>
public sealed class FileTargetContract
{
    public string? Name { get; set; }

    public string? UID { get; set; }

    public string? GID { get; set; }

    public uint Mode { get; set; }
}
