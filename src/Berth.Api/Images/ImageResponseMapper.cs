using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Api.Versioning;
using Berth.Runtime.Images;
using ImageSummary = Berth.Api.Contracts.ImageSummary;
using RuntimeContainerConfig = Berth.Runtime.Images.ContainerConfig;

namespace Berth.Api.Images;

/// <summary>Stored images in Docker's JSON shapes: the list summary, inspect and history.</summary>
internal static class ImageResponseMapper
{
    /// <summary>From API 1.44 <c>VirtualSize</c> is gone (it always equalled <c>Size</c>).</summary>
    private static readonly ApiVersion NoVirtualSize = new(1, 44);

    /// <summary>From API 1.45 image inspect drops the deprecated <c>Container</c> and <c>ContainerConfig</c>.</summary>
    private static readonly ApiVersion NoContainerConfig = new(1, 45);

    private const string StorageDriver = "overlay";

    public static ImageSummary ToSummary(ImageDetails image, IReadOnlyList<string> tags, ApiVersion version) => new()
    {
        Created = image.Created.ToUnixTimeSeconds(),
        Id = image.Id,
        Labels = image.Config.Config?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : [],
        RepoDigests = [.. image.RepoDigests],
        RepoTags = [.. tags],
        Size = image.Size,
        VirtualSize = version < NoVirtualSize ? image.Size : null,
    };

    public static ImageInspect ToInspect(ImageDetails image, ApiVersion version) => new()
    {
        Id = image.Id,
        RepoTags = [.. image.RepoTags],
        RepoDigests = [.. image.RepoDigests],
        Comment = image.Config.Comment ?? (image.Config.History is { Count: > 0 } history ? history[^1].Comment : null) ?? "",
        Created = image.Config.Created ?? Rfc3339.FormatNano(image.Created),
        Container = version < NoContainerConfig ? "" : null,
        ContainerConfig = version < NoContainerConfig ? new ImageContainerConfig() : null,
        Author = image.Config.Author ?? "",
        Config = ToConfig(image.Config.Config ?? new RuntimeContainerConfig()),
        Architecture = image.Config.Architecture ?? "",
        Variant = image.Config.Variant,
        Os = image.Config.Os ?? "",
        Size = image.Size,
        VirtualSize = version < NoVirtualSize ? image.Size : null,
        GraphDriver = new ImageGraphDriver
        {
            Name = StorageDriver,
            Data = image.LayerDirectories.Count == 0 ? null : new Dictionary<string, string> { ["LowerDir"] = string.Join(':', image.LayerDirectories.Reverse()) },
        },
        RootFS = new ImageRootFs { Layers = [.. image.Config.RootFs?.DiffIds ?? []] },
    };

    public static ImageHistoryItem ToHistory(ImageHistoryStep step) => new()
    {
        Comment = step.Comment,
        Created = step.Created.ToUnixTimeSeconds(),
        CreatedBy = step.CreatedBy,
        Id = step.Id,
        Size = step.Size,
        Tags = step.Tags.Count == 0 ? null : [.. step.Tags],
    };

    private static ImageContainerConfig ToConfig(RuntimeContainerConfig config) => new()
    {
        User = config.User ?? "",
        ExposedPorts = config.ExposedPorts?.ToDictionary(p => p.Key, _ => new EmptyObjectContract()),
        Env = config.Env is null ? null : [.. config.Env],
        Cmd = config.Cmd is null ? null : [.. config.Cmd],
        Healthcheck = config.Healthcheck is { } h
            ? new ImageHealthcheck { Test = h.Test is null ? null : [.. h.Test], Interval = h.Interval, Timeout = h.Timeout, StartPeriod = h.StartPeriod, Retries = h.Retries }
            : null,
        Volumes = config.Volumes?.ToDictionary(v => v.Key, _ => new EmptyObjectContract()),
        WorkingDir = config.WorkingDir ?? "",
        Entrypoint = config.Entrypoint is null ? null : [.. config.Entrypoint],
        Labels = config.Labels is null ? null : new Dictionary<string, string>(config.Labels),
        StopSignal = config.StopSignal,
        Image = config.Image ?? "",
        OnBuild = config.OnBuild is null ? null : [.. config.OnBuild],
        Shell = config.Shell is null ? null : [.. config.Shell],
    };
}
