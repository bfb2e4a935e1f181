using Berth.Linux.Reliability;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// The test's side of <see cref="CrashPoints"/>: the control directory a berthd started with <see cref="Environment"/>
/// counts its points into, arms (the Nth point from now kills it) and names the site it died at.
/// </summary>
public sealed class CrashControl
{
    private readonly string _directory;

    public CrashControl(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        Environment = new Dictionary<string, string> { [CrashPoints.ControlVariable] = directory };
    }

    /// <summary>What berthd's environment needs for its points to count and crash.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Points passed so far (by every berthd of this directory).</summary>
    public long Passed() => File.Exists(Path.Combine(_directory, "log")) ? File.ReadLines(Path.Combine(_directory, "log")).LongCount() : 0;

    /// <summary>The <paramref name="nth"/> point from now kills berthd.</summary>
    public void Arm(int nth) => File.WriteAllText(Path.Combine(_directory, "arm"), $"{Guid.NewGuid():N} {nth}");

    public void Disarm() => File.Delete(Path.Combine(_directory, "arm"));

    /// <summary>The site of the point that killed berthd (null: none did), forgotten once read.</summary>
    public string? TakeCrashSite()
    {
        string path = Path.Combine(_directory, "crashed");
        if (!File.Exists(path))
        {
            return null;
        }

        string site = File.ReadAllText(path).Trim();
        File.Delete(path);
        return site;
    }

    /// <summary>At most <paramref name="budget"/> of points 1…<paramref name="points"/>, spread evenly.</summary>
    public static List<int> Spread(long points, int budget) =>
        points <= budget ? [.. Enumerable.Range(1, (int)points)] : [.. Enumerable.Range(0, budget).Select(k => 1 + (int)(k * points / budget)).Distinct()];
}
