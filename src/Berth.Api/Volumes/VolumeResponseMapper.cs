using System.Globalization;
using Berth.Api.Contracts;
using Berth.Runtime.Volumes;

namespace Berth.Api.Volumes;

/// <summary>A <see cref="VolumeRecord"/> as Docker shows a volume: CreatedAt in RFC 3339 (seconds), scope <c>local</c>, labels and options as sent.</summary>
internal static class VolumeResponseMapper
{
    public const string LocalScope = "local";

    public static Volume ToVolume(VolumeRecord record, VolumeStore store) => new()
    {
        CreatedAt = record.CreatedAt.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture),
        Driver = record.Driver,
        Labels = record.Labels is null ? null : new Dictionary<string, string>(record.Labels),
        Mountpoint = store.MountpointOf(record.Name),
        Name = record.Name,
        Options = record.Options is null ? null : new Dictionary<string, string>(record.Options),
        Scope = LocalScope,
    };
}
