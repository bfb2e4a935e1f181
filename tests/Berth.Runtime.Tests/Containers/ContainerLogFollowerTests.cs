using System.Text;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>Following a log as conmon writes it: growth, half-written lines, rotation by rename, a log that appears late.</summary>
public sealed class ContainerLogFollowerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-follow-").FullName;

    private string LogPath => Path.Combine(_directory, "container.log");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReturnsOnlyCompletedLinesAsTheyAppear()
    {
        using var follower = new ContainerLogFollower(LogPath, fromStart: true);
        Assert.Empty(follower.ReadNew());

        Append("2026-11-27T23:00:00.000000000+00:00 stdout F a\n2026-11-27T23:00:01.000000000+00:00 std");
        Assert.Equal(["a"], Texts(follower.ReadNew()));
        Append("err F b\n");
        Assert.Equal(["b"], Texts(follower.ReadNew()));
        Assert.Empty(follower.ReadNew());
    }

    [Fact]
    public void StartsAtTheEndUnlessAskedForWhatIsThere()
    {
        Append("2026-11-27T23:00:00.000000000+00:00 stdout F old\n");
        using var fromEnd = new ContainerLogFollower(LogPath, fromStart: false);
        using var fromStart = new ContainerLogFollower(LogPath, fromStart: true);
        Append("2026-11-27T23:00:01.000000000+00:00 stdout F new\n");
        Assert.Equal(["new"], Texts(fromEnd.ReadNew()));
        Assert.Equal(["old", "new"], Texts(fromStart.ReadNew()));
    }

    [Fact]
    public void FinishesTheOldFileThenFollowsTheOneRenamedOverIt()
    {
        Append("2026-11-27T23:00:00.000000000+00:00 stdout F 1\n");
        using var follower = new ContainerLogFollower(LogPath, fromStart: false);
        Append("2026-11-27T23:00:01.000000000+00:00 stdout F 2\n");

        // conmon's rotation at --log-size-max: a new file renamed over the log.
        File.WriteAllText(LogPath + ".tmp", "2026-11-27T23:00:02.000000000+00:00 stdout F 3\n");
        File.Move(LogPath + ".tmp", LogPath, overwrite: true);
        Assert.Equal(["2", "3"], Texts(follower.ReadNew()));
        Append("2026-11-27T23:00:03.000000000+00:00 stdout F 4\n");
        Assert.Equal(["4"], Texts(follower.ReadNew()));
    }

    private void Append(string text) => File.AppendAllText(LogPath, text);

    private static string[] Texts(IEnumerable<LogRecord> records) => [.. records.Select(r => Encoding.UTF8.GetString(r.Content))];
}
