using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>An image's container defaults as Docker shows them in image inspect (moby <c>container.Config</c>: what Go omits when empty is left out).</summary>
public sealed class ImageContainerConfig
{
    public string Hostname { get; set; } = "";

    public string Domainname { get; set; } = "";

    public string User { get; set; } = "";

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObjectContract>? ExposedPorts { get; set; }

    public bool Tty { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    public List<string>? Env { get; set; }

    public List<string>? Cmd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageHealthcheck? Healthcheck { get; set; }

    public string Image { get; set; } = "";

    public Dictionary<string, EmptyObjectContract>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    public List<string>? Entrypoint { get; set; }

    public List<string>? OnBuild { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Shell { get; set; }
}
