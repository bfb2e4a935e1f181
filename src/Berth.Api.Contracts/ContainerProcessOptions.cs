using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

// The process options of the container types (stop signal and timeout, init, tmpfs, namespaces, devices, groups):
// read from create requests and shown by inspect only, so absent (null) in container lists.
#pragma warning disable CA1002, CA2227, SA1402

public sealed partial class ContainerCreateRequest
{
    /// <summary><c>--stop-signal</c>.</summary>
    public string? StopSignal { get; set; }

    /// <summary><c>--stop-timeout</c> in seconds.</summary>
    public int? StopTimeout { get; set; }
}

public sealed partial class ContainerConfigInfo
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; set; }
}

public sealed partial class ContainerHostConfig
{
    /// <summary><c>--init</c>; null when not given (moby's <c>omitempty</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Init { get; set; }

    /// <summary><c>--tmpfs PATH:OPTIONS</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Tmpfs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PidMode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IpcMode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UTSMode { get; set; }

    /// <summary><c>--userns</c>: <c>host</c> opts out of the daemon's <c>--userns-remap</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UsernsMode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<DeviceMappingContract>? Devices { get; set; }

    /// <summary>Inspect shows null when none was given, as Docker does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? DeviceCgroupRules { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? GroupAdd { get; set; }

    /// <summary><c>--isolation</c>: only <c>default</c> (or empty) exists on Linux.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Isolation { get; set; }
}

/// <summary>One <c>--device</c>: <c>{"PathOnHost": "/dev/null", "PathInContainer": "/dev/x", "CgroupPermissions": "rwm"}</c>.</summary>
public sealed class DeviceMappingContract
{
    public string PathOnHost { get; set; } = "";

    public string PathInContainer { get; set; } = "";

    public string CgroupPermissions { get; set; } = "";
}
