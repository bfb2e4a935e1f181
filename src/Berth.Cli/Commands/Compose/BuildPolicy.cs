namespace Berth.Cli.Commands.Compose;

/// <summary>When <c>up</c> (and <c>run</c>) build a service's image from its <c>build:</c>.</summary>
public enum BuildPolicy
{
    /// <summary>Only when the daemon does not have the image (docker-compose's default).</summary>
    Missing,

    /// <summary><c>--build</c>: every time, before containers are created.</summary>
    Always,

    /// <summary><c>--no-build</c>: never; a missing image is an error.</summary>
    Never,
}
