using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class ContainerLogReaderTests
{
    [Fact]
    public void ReadsStreamsTimesAndJoinsPartialLines()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                2026-11-27T23:00:00.123456789+00:00 stdout F out
                2026-11-27T23:00:01.000000000+00:00 stderr P hel
                2026-11-27T23:00:01.500000000Z stdout F 
                2026-11-27T23:00:02.000000000+00:00 stderr F lo world

                """);
            LogEntry[] entries = [.. ContainerLogReader.Read(path)];
            Assert.Equal(3, entries.Length);
            Assert.Equal(new LogEntry(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero).AddTicks(1234567), LogStream.Stdout, "out"), entries[0]);
            Assert.Equal((LogStream.Stdout, ""), (entries[1].Stream, entries[1].Text));
            Assert.Equal(new LogEntry(new DateTimeOffset(2026, 11, 27, 23, 0, 1, TimeSpan.Zero), LogStream.Stderr, "hello world"), entries[2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingLogIsEmpty() => Assert.Empty(ContainerLogReader.Read("/nonexistent/berth.log"));
}
