namespace Berth.Compose.Model;

/// <summary><c>deploy.resources</c>: each side null when not written.</summary>
public sealed record ComposeResources
{
    public ComposeResourceAmounts? Limits { get; init; }

    public ComposeResourceAmounts? Reservations { get; init; }
}
