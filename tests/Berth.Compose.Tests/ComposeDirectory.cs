using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary>A temporary project directory: write files into it, load them with a given environment, and it is deleted after.</summary>
internal sealed class ComposeDirectory : IDisposable
{
    public ComposeDirectory(string name = "myapp")
    {
        Root = Path.Combine(Path.GetTempPath(), "berth-compose-tests-" + Guid.NewGuid().ToString("N")[..12]);
        ProjectPath = Path.Combine(Root, name);
        Directory.CreateDirectory(ProjectPath);
    }

    public string Root { get; }

    /// <summary>The project directory itself.</summary>
    public string ProjectPath { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public List<ComposeProblem> Warnings { get; } = [];

    public ComposeDirectory Write(string file, string text)
    {
        var full = Path.Combine(ProjectPath, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return this;
    }

    public ComposeProject Load(params string[] files) => Load(new ComposeLoadOptions { Files = files });

    public ComposeProject Load(ComposeLoadOptions options) =>
        ComposeLoader.Load(options with
        {
            CurrentDirectory = options.CurrentDirectory == Directory.GetCurrentDirectory() ? ProjectPath : options.CurrentDirectory,
            Environment = name => Environment.GetValueOrDefault(name),
            Warning = Warnings.Add,
        });

    /// <summary>The problems a broken project reports, one line each.</summary>
    public string[] Problems(params string[] files)
    {
        var e = Assert.Throws<ComposeFileException>(() => Load(files));
        Assert.Equal(Berth.Core.Errors.ErrorKind.InvalidArgument, e.Kind);
        return e.Message.Split('\n');
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
