using Berth.Runtime.Engine;
using Berth.Runtime.Images;

namespace Berth.Api.Containers;

/// <summary>
/// Inspect's <c>Config.Cmd</c> and <c>Config.Entrypoint</c> as moby merges them at create (<c>daemon/commit.go</c>
/// <c>merge</c>): without an entrypoint of its own the container takes the image's, and without a command either
/// the image's command. docker-compose's <c>ps</c> shows the command from these.
/// </summary>
internal static class ContainerConfigView
{
    public static (List<string>? Cmd, List<string>? Entrypoint) Effective(ContainerCreateSpec spec, ImageStore images, string imageId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(images);
        List<string>? cmd = spec.Cmd is { } own ? [.. own] : null;
        List<string>? entrypoint = spec.Entrypoint is { } ownEntrypoint ? [.. ownEntrypoint] : null;
        if (entrypoint is not null)
        {
            return (cmd, entrypoint);
        }

        ContainerConfig? image;
        try
        {
            image = images.Inspect(imageId).Config.Config;
        }
        catch (Berth.Core.Errors.BerthException e) when (e.Kind == Berth.Core.Errors.ErrorKind.NotFound)
        {
            return (cmd, entrypoint);
        }

        return (cmd is { Count: > 0 } ? cmd : image?.Cmd?.ToList() ?? cmd, image?.Entrypoint?.ToList());
    }
}
