using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

// The volume types of the Docker Engine API (moby api/types/volume, api/types/mount), and a container's mounts.
#pragma warning disable CA1002, CA2227, SA1402

/// <summary>A volume, as <c>GET /volumes/{name}</c>, the list and create answer it; field order as moby's.</summary>
public sealed class Volume
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; set; }

    public string Driver { get; set; } = "";

    /// <summary><c>null</c> when the volume was made without labels, as Docker shows it.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    public string Mountpoint { get; set; } = "";

    public string Name { get; set; } = "";

    public Dictionary<string, string>? Options { get; set; }

    public string Scope { get; set; } = "";
}

/// <summary>The body of <c>POST /volumes/create</c>.</summary>
public sealed class VolumeCreateRequest
{
    public string? Name { get; set; }

    public string? Driver { get; set; }

    public Dictionary<string, string>? DriverOpts { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>Reply of <c>GET /volumes</c>.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];

    public List<string> Warnings { get; set; } = [];
}

/// <summary>Reply of <c>POST /volumes/prune</c>.</summary>
public sealed class VolumePruneResponse
{
    public List<string> VolumesDeleted { get; set; } = [];

    public ulong SpaceReclaimed { get; set; }
}

/// <summary>An element of a container's <c>Mounts</c> (inspect and list): moby's <c>MountPoint</c>.</summary>
public sealed class MountPointContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public string Source { get; set; } = "";

    public string Destination { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Driver { get; set; }

    public string Mode { get; set; } = "";

    public bool RW { get; set; }

    public string Propagation { get; set; } = "";
}

/// <summary>An entry of <c>HostConfig.Mounts</c> (<c>--mount</c>): moby's <c>mount.Mount</c>.</summary>
public sealed class MountConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ReadOnly { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Consistency { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountBindOptions? BindOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountVolumeOptions? VolumeOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountTmpfsOptions? TmpfsOptions { get; set; }
}

/// <summary><c>--mount type=tmpfs,tmpfs-size=…,tmpfs-mode=…</c>: moby's <c>mount.TmpfsOptions</c> (the mode as a number, 1777 octal = 1023).</summary>
public sealed class MountTmpfsOptions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long SizeBytes { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public uint Mode { get; set; }
}

public sealed class MountBindOptions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Propagation { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NonRecursive { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CreateMountpoint { get; set; }
}

public sealed class MountVolumeOptions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NoCopy { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subpath { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountDriverConfig? DriverConfig { get; set; }
}

public sealed class MountDriverConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Options { get; set; }
}
