using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>docker logs' selection (tail, since, until, streams) over a k8s-file log written here, as conmon writes it.</summary>
public sealed class ContainerLogQueryTests : IDisposable
{
    private const long Second = 1_000_000_000;

    /// <summary>2026-11-27T23:00:00Z in unix seconds.</summary>
    private const long Base = 1_795_820_400;

    private readonly string _path = Path.GetTempFileName();

    public ContainerLogQueryTests() => File.WriteAllText(_path, """
        2026-11-27T23:00:00.000000001+00:00 stdout F one
        2026-11-27T23:00:01.000000000+00:00 stderr F two
        2026-11-27T23:00:02.000000000+00:00 stdout P thr
        2026-11-27T23:00:02.500000000+00:00 stdout F ee
        2026-11-28T00:00:03.000000000+01:00 stderr F four
        2026-11-27T23:00:04.123456789Z stdout F five

        """);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void EverythingByDefaultWithPartialLinesJoinedAtTheirFirstTime()
    {
        var lines = Select(new ContainerLogQuery());
        Assert.Equal(["one", "two", "three", "four", "five"], lines.Select(Text));
        Assert.Equal((Base * Second) + 1, lines[0].UnixNanos);
        Assert.Equal((Base + 2) * Second, lines[2].UnixNanos);
        Assert.Equal(((Base + 3) * Second), lines[3].UnixNanos);
        Assert.Equal(((Base + 4) * Second) + 123_456_789, lines[4].UnixNanos);
    }

    [Fact]
    public void TailCountsBothStreamsBeforeTheStreamIsChosen()
    {
        Assert.Equal(["four", "five"], Select(new ContainerLogQuery { Tail = 2 }).Select(Text));
        Assert.Equal(["five"], Select(new ContainerLogQuery { Tail = 2, Stderr = false }).Select(Text));
        Assert.Empty(Select(new ContainerLogQuery { Tail = 0 }));
        Assert.Equal(5, Select(new ContainerLogQuery { Tail = 50 }).Count);
        Assert.Equal(["two", "four"], Select(new ContainerLogQuery { Stdout = false }).Select(Text));
    }

    [Fact]
    public void SinceAndUntilAreInclusiveToTheNanosecond()
    {
        long since = ContainerLogQuery.ParseTimestamp($"{Base + 1}.000000000", "since")!.Value;
        long until = ContainerLogQuery.ParseTimestamp($"{Base + 3}", "until")!.Value;
        Assert.Equal(["two", "three", "four"], Select(new ContainerLogQuery { SinceUnixNanos = since, UntilUnixNanos = until }).Select(Text));
        Assert.Equal(["five"], Select(new ContainerLogQuery { SinceUnixNanos = ContainerLogQuery.ParseTimestamp($"{Base + 4}.123456789", "since") }).Select(Text));
        Assert.Empty(Select(new ContainerLogQuery { SinceUnixNanos = ContainerLogQuery.ParseTimestamp($"{Base + 4}.12345679", "since") }));
        Assert.Equal(["one"], Select(new ContainerLogQuery { UntilUnixNanos = (Base * Second) + 1 }).Select(Text));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("1700000000", 1_700_000_000_000_000_000L)]
    [InlineData("1700000000.5", 1_700_000_000_500_000_000L)]
    [InlineData("1700000000.000000001", 1_700_000_000_000_000_001L)]
    public void TimestampsAreUnixSecondsWithAFraction(string text, long? nanos) => Assert.Equal(nanos, ContainerLogQuery.ParseTimestamp(text, "since"));

    [Theory]
    [InlineData("soon")]
    [InlineData("17.")]
    [InlineData("17.1234567891")]
    public void BadTimestampsAreInvalidArguments(string text) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => ContainerLogQuery.ParseTimestamp(text, "until")).Kind);

    [Theory]
    [InlineData("all", null)]
    [InlineData("", null)]
    [InlineData("-1", null)]
    [InlineData("0", 0)]
    [InlineData("10", 10)]
    public void TailIsACountOrAll(string text, int? count) => Assert.Equal(count, ContainerLogQuery.ParseTail(text));

    [Fact]
    public void RecordsKeepBytesAndAPartialEndHasNoNewline()
    {
        File.WriteAllBytes(_path, [.. "2026-11-27T23:00:00.000000000+00:00 stdout F \u00e9\r"u8, (byte)'\n', .. "2026-11-27T23:00:01.000000000+00:00 stdout P / # "u8, (byte)'\n']);
        var lines = Select(new ContainerLogQuery());
        Assert.Equal("\u00e9\r\n"u8.ToArray(), lines[0].Output());
        Assert.Equal("/ # "u8.ToArray(), lines[1].Output());
        Assert.True(lines[1].Partial);
    }

    private List<LogRecord> Select(ContainerLogQuery query) => [.. query.Select(ContainerLogReader.ReadRecords(_path))];

    private static string Text(LogRecord record) => Encoding.UTF8.GetString(record.Content);
}
