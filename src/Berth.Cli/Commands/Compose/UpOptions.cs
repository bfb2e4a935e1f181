namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose up</c>'s choices.</summary>
/// <param name="Services">The services named on the command line (with what they depend on); empty for all.</param>
public sealed record UpOptions(IReadOnlyList<string> Services)
{
    public bool RemoveOrphans { get; init; }

    public bool ForceRecreate { get; init; }

    /// <summary>Start only the named services, not what they depend on.</summary>
    public bool NoDeps { get; init; }

    /// <summary><c>--build</c>, <c>--no-build</c>: when images of services with <c>build:</c> are built.</summary>
    public BuildPolicy Build { get; init; }
}
