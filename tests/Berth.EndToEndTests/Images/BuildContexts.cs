using System.Text.RegularExpressions;

namespace Berth.EndToEndTests.Images;

/// <summary>Build contexts written for a test, and what the classic builder's output says about a build.</summary>
internal static partial class BuildContexts
{
    /// <summary>A context directory under <paramref name="testRoot"/> with the Dockerfile (LF line endings) and files.</summary>
    public static string Write(string testRoot, string name, string dockerfile, params (string Name, string Content)[] files)
    {
        string directory = Path.Combine(testRoot, "contexts", name);
        Directory.CreateDirectory(directory);
        WriteDockerfile(directory, dockerfile);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(directory, file), content);
        }

        return directory;
    }

    public static void WriteDockerfile(string directory, string dockerfile) =>
        File.WriteAllText(Path.Combine(directory, "Dockerfile"), dockerfile.ReplaceLineEndings("\n") + "\n");

    /// <summary>How many steps said <c> ---> Using cache</c>.</summary>
    public static int CachedSteps(string output) => UsingCache().Count(output);

    /// <summary>The short id of <c>Successfully built …</c>; empty when the build said none.</summary>
    public static string BuiltId(string output) => BuiltLine().Match(output).Groups[1].Value;

    [GeneratedRegex(@" ---> Using cache\n")]
    private static partial Regex UsingCache();

    [GeneratedRegex(@"Successfully built ([0-9a-f]{12})")]
    private static partial Regex BuiltLine();
}
