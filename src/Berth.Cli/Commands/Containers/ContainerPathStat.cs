using System.Text;
using System.Text.Json;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// The <c>X-Docker-Container-Path-Stat</c> header of <c>HEAD|GET /containers/{id}/archive</c>: base64 JSON
/// <c>{"name","size","mode","mtime","linkTarget"}</c>, <c>mode</c> a Go <c>os.FileMode</c> (type bits at the top).
/// </summary>
public sealed record ContainerPathStat(string Name, long Size, uint Mode, string LinkTarget)
{
    public const string HeaderName = "X-Docker-Container-Path-Stat";

    /// <summary>Go's <c>os.ModeDir</c>, <c>ModeSymlink</c>, <c>ModeDevice</c>, <c>ModeIrregular</c>.</summary>
    private const uint ModeDir = 1u << 31;
    private const uint ModeSymlink = 1u << 27;
    private const uint ModeDevice = 1u << 26;
    private const uint ModeIrregular = 1u << 19;

    public bool IsDirectory => (Mode & ModeDir) != 0;

    public bool IsSymlink => (Mode & ModeSymlink) != 0;

    public static ContainerPathStat? FromHeader(IEnumerable<string>? values)
    {
        var value = values?.FirstOrDefault();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(value)));
        var root = document.RootElement;
        return new ContainerPathStat(
            root.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
            root.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0,
            root.TryGetProperty("mode", out var mode) && mode.TryGetUInt32(out var bits) ? bits : 0,
            root.TryGetProperty("linkTarget", out var link) ? link.GetString() ?? "" : "");
    }

    /// <summary>docker's <c>ValidateOutputPathFileMode</c>: a copy never goes to a device or an irregular file.</summary>
    public string? OutputProblem() =>
        (Mode & ModeDevice) != 0 ? "got a device" : (Mode & ModeIrregular) != 0 ? "got an irregular file" : null;
}
