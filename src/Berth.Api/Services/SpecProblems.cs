using Berth.Core.Errors;

namespace Berth.Api.Services;

/// <summary>
/// Every problem found in a request's service spec, each naming its field by its JSON path
/// (<c>TaskTemplate.RestartPolicy.Delay</c>): the spec is read whole, then refused once with all of them.
/// </summary>
internal sealed class SpecProblems
{
    private readonly List<string> _problems = [];

    public void Add(string problem) => _problems.Add(problem);

    /// <summary>InvalidArgument (400) listing every problem, when there is one.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", _problems));
        }
    }
}
