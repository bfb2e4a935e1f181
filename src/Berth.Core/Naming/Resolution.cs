using Berth.Core.Errors;

namespace Berth.Core.Naming;

/// <summary>
/// The result of <see cref="ObjectResolver.Resolve{T}"/>: the object, or why there is none, with Docker's message
/// and error kind for that object kind (<see cref="ToException"/>).
/// </summary>
public readonly record struct Resolution<T>(ObjectKind Kind, string Term, ResolutionOutcome Outcome, T? Match, MatchedBy By, int Count)
    where T : class
{
    public bool Found => Outcome == ResolutionOutcome.Found;

    /// <summary>The object, or the error <see cref="ToException"/> describes.</summary>
    public T GetOrThrow(string? shownAs = null) => Found ? Match! : throw ToException(shownAs);

    /// <summary>
    /// Docker's error for a failed lookup. <paramref name="shownAs"/> replaces the term in the message (an image
    /// reference is shown normalised: <c>No such image: foo:latest</c>).
    /// </summary>
    public BerthException ToException(string? shownAs = null)
    {
        string term = shownAs ?? Term;
        return (Kind, Outcome) switch
        {
            (_, ResolutionOutcome.Found) => throw new InvalidOperationException($"the lookup of {Kind} {Term} succeeded; there is no error to report"),
            (ObjectKind.Container, ResolutionOutcome.Invalid) => new BerthException(ErrorKind.InvalidArgument, "invalid container name or ID: value is empty"),
            (ObjectKind.Container, ResolutionOutcome.AmbiguousPrefix or ResolutionOutcome.AmbiguousName) =>
                new BerthException(ErrorKind.InvalidArgument, $"multiple IDs found with provided prefix: {term}"),
            (ObjectKind.Container, _) => new BerthException(ErrorKind.NotFound, $"No such container: {term}"),
            (ObjectKind.Network, ResolutionOutcome.Invalid) => new BerthException(ErrorKind.InvalidArgument, "a network id or name is required"),
            (ObjectKind.Network, ResolutionOutcome.AmbiguousName) =>
                new BerthException(ErrorKind.InvalidArgument, $"network {term} is ambiguous ({Count} matches found on name)"),
            (ObjectKind.Network, ResolutionOutcome.AmbiguousPrefix) =>
                new BerthException(ErrorKind.InvalidArgument, $"network {term} is ambiguous ({Count} matches found based on ID prefix)"),
            (ObjectKind.Network, _) => new BerthException(ErrorKind.NotFound, $"network {term} not found"),

            // moby's image store treats an ambiguous id prefix as no match at all.
            (ObjectKind.Image, ResolutionOutcome.Invalid) => new BerthException(ErrorKind.InvalidArgument, "an image name or id is required"),
            (ObjectKind.Image, _) => new BerthException(ErrorKind.NotFound, $"No such image: {term}"),
            (ObjectKind.Volume, ResolutionOutcome.Invalid) => new BerthException(ErrorKind.InvalidArgument, "a volume name is required"),
            (ObjectKind.Volume, _) => new BerthException(ErrorKind.NotFound, $"get {term}: no such volume"),
            _ => new BerthException(ErrorKind.Internal, $"{Kind} {term}: lookup ended as {Outcome}"),
        };
    }
}
