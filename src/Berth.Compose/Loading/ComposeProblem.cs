namespace Berth.Compose.Loading;

/// <summary>One thing wrong with a compose file: where, which setting (<c>services.web.networks</c>), and what is wrong.</summary>
public sealed record ComposeProblem(SourceMark Mark, string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? $"{Mark}: {Message}" : $"{Mark}: {Path}: {Message}";
}
