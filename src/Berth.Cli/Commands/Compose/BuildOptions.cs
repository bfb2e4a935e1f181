namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose build</c>'s flags, added to each service's <c>build:</c>.</summary>
/// <param name="BuildArgs"><c>--build-arg</c>s: they override the file's <c>args</c>.</param>
public sealed record BuildOptions(IReadOnlyDictionary<string, string?> BuildArgs)
{
    public static readonly BuildOptions Default = new(new Dictionary<string, string?>());

    public bool NoCache { get; init; }

    public bool Pull { get; init; }

    public bool Quiet { get; init; }
}
