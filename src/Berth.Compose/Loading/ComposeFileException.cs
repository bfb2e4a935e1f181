using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Compose.Loading;

/// <summary>
/// Compose files that cannot be loaded: every problem found, each on its own line as
/// <c>docker-compose.yml:12:7: services.web.networks: network "frontnet" is not defined; …</c>.
/// </summary>
public sealed class ComposeFileException : BerthException
{
    public ComposeFileException(IEnumerable<ComposeProblem> problems)
        : this([.. problems])
    {
    }

    private ComposeFileException(ImmutableArray<ComposeProblem> problems)
        : base(ErrorKind.InvalidArgument, string.Join('\n', problems))
    {
        Problems = problems;
    }

    public ImmutableArray<ComposeProblem> Problems { get; }
}
