using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Runtime.Files;

namespace Berth.Api.Containers;

/// <summary><c>X-Docker-Container-Path-Stat</c>: moby's <c>PathStat</c> as JSON, base64 (standard alphabet, padded), as the docker CLI decodes it.</summary>
internal static class PathStatHeader
{
    public const string Name = "X-Docker-Container-Path-Stat";

    public static string Encode(PathStat stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var contract = new ContainerPathStat
        {
            Name = stat.Name,
            Size = stat.Size,
            Mode = stat.Mode,
            Mtime = Rfc3339.FormatNano(stat.Modified.ToUniversalTime()),
            LinkTarget = stat.LinkTarget,
        };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(contract, DockerJson.Context.ContainerPathStat));
    }
}
