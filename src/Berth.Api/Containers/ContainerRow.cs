using System.Collections.Immutable;

namespace Berth.Api.Containers;

/// <summary>What <c>docker ps</c> filters look at, for one container.</summary>
/// <param name="State">Docker's state word: created, running, paused, restarting, removing, exited, dead.</param>
/// <param name="Running">Running, paused or restarting (Docker's <c>State.Running</c>).</param>
/// <param name="Networks">Network name → network id, for the networks the container is on (or configured for).</param>
internal sealed record ContainerRow(
    string Id,
    string Name,
    string ImageId,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    bool Running,
    int ExitCode,
    bool EverStarted,
    ImmutableDictionary<string, string> Networks,
    string Health = "none");
