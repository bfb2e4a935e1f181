namespace Berth.Compose.Loading;

/// <summary>Problems and warnings collected over every phase of a load, so that all of them are reported together.</summary>
internal sealed class ProblemList
{
    private readonly List<ComposeProblem> problems = [];
    private readonly List<ComposeProblem> warnings = [];

    public int Count => problems.Count;

    public IReadOnlyList<ComposeProblem> Warnings => warnings;

    public void Add(ComposeNode node, string path, string message) => Add(node.Mark, path, message);

    public void Add(SourceMark mark, string path, string message) => problems.Add(new ComposeProblem(mark, path, message));

    public void Warn(ComposeNode node, string path, string message) => warnings.Add(new ComposeProblem(node.Mark, path, message));

    /// <summary>Throws every problem found so far, in file order.</summary>
    public void ThrowIfAny()
    {
        if (problems.Count > 0)
        {
            throw new ComposeFileException(
                problems.Distinct().OrderBy(p => p.Mark.File, StringComparer.Ordinal).ThenBy(p => p.Mark.Line).ThenBy(p => p.Mark.Column));
        }
    }
}
