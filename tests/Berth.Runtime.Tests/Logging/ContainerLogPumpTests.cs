using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;

namespace Berth.Runtime.Tests.Logging;

/// <summary>
/// The pump from conmon's k8s-file into a driver's log: Docker's rotation and compression, reading back across the
/// rotated files, and recovery from each point where a killed berthd can leave it — every line once.
/// </summary>
public sealed class ContainerLogPumpTests : IDisposable
{
    private const long Start = 1767323045_000000000;

    private readonly string _directory = Directory.CreateTempSubdirectory("berth-pump-").FullName;
    private int _written;

    private string Wire => Path.Combine(_directory, "container.log");

    private string Log => Path.Combine(_directory, "id-json.log");

    private string Checkpoint => Path.Combine(_directory, "log.checkpoint");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RotatesAtMaxSizeKeepingMaxFilesOfValidJsonLines()
    {
        var rotation = new LogRotation(1000, 2, false);
        using (var pump = Open(rotation))
        {
            for (int batch = 0; batch < 10; batch++)
            {
                WriteWire(20);
                pump.Pump();
            }
        }

        Assert.Equal(new[] { "id-json.log", "id-json.log.1", "log.checkpoint", "container.log" }.Order(), Directory.GetFiles(_directory).Select(Path.GetFileName).Order());

        // Each file holds max-size bytes plus at most the record that crossed it (moby rotates before the next write).
        long longest = File.ReadLines(Wire).Max(l => l.Length) + 100;
        Assert.All(new[] { Log, Log + ".1" }, f => Assert.InRange(new FileInfo(f).Length, 1, 1000 + longest));
        foreach (string line in File.ReadLines(Log + ".1").Concat(File.ReadLines(Log)))
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("stdout", json.RootElement.GetProperty("stream").GetString());
            Assert.EndsWith("\n", json.RootElement.GetProperty("log").GetString(), StringComparison.Ordinal);
        }

        // Read back: the newest lines, consecutive, across both files, ending with the last one written.
        var texts = ReadBack(rotation);
        Assert.Equal($"line {_written - 1}", texts[^1]);
        int first = int.Parse(texts[0]["line ".Length..], CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, _written - first).Select(i => $"line {i}"), texts);
    }

    [Fact]
    public void CompressesRotatedFilesWithGzip()
    {
        var rotation = new LogRotation(500, 3, true);
        using (var pump = Open(rotation))
        {
            for (int batch = 0; batch < 10; batch++)
            {
                WriteWire(10);
                pump.Pump();
            }
        }

        Assert.True(File.Exists(Log + ".1.gz"));
        Assert.True(File.Exists(Log + ".2.gz"));
        Assert.False(File.Exists(Log + ".1"));
        Assert.False(File.Exists(Log + ".3.gz"));
        using var gzip = new GZipStream(File.OpenRead(Log + ".1.gz"), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.StartsWith("{\"log\":\"line ", reader.ReadLine(), StringComparison.Ordinal);
        Assert.Equal($"line {_written - 1}", ReadBack(rotation)[^1]);
    }

    [Fact]
    public void AfterACrashPastTheCheckpointTheLogIsCutBackAndEveryLineIsWrittenOnce()
    {
        var rotation = new LogRotation(null, 1, false);
        using (var pump = Open(rotation))
        {
            WriteWire(5);
            pump.Pump();
        }

        // What a berthd killed between its write and its checkpoint leaves: lines in the log the checkpoint does not count.
        File.AppendAllText(Log, "{\"log\":\"half a batch\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-02T03:04:05Z\"}\n");
        WriteWire(5);
        using (var pump = Open(rotation))
        {
            pump.Pump();
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"line {i}"), ReadBack(rotation));
    }

    [Fact]
    public void ACrashInsideARotationIsFinishedWithoutLosingOrRepeating()
    {
        var rotation = new LogRotation(280, 2, false);
        using (var pump = Open(rotation))
        {
            // Four lines of about 80 bytes: the file is full, the next record would rotate it.
            WriteWire(4);
            pump.Pump();
        }

        // Killed after the rotation's checkpoint, before its renames: the next berthd finishes the rotation.
        Assert.True(new FileInfo(Log).Length >= 280);
        ulong full = FileInode.Of(Log)!.Value;
        var saved = LogCheckpoint.Load(Checkpoint)!.Value;
        using (var file = File.OpenHandle(Checkpoint, FileMode.Open, FileAccess.Write))
        {
            (saved with { LogSize = 0, RotateFrom = full }).Save(file);
        }

        WriteWire(3);
        using (var pump = Open(rotation))
        {
            pump.Pump();
        }

        Assert.Equal(full, FileInode.Of(Log + ".1"));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"line {i}"), ReadBack(rotation));
    }

    [Fact]
    public void FollowsConmonsWireIntoTheFileThatReplacesIt()
    {
        var rotation = new LogRotation(null, 1, false);
        using var pump = Open(rotation);
        WriteWire(2);
        pump.Pump();
        File.WriteAllBytes(Wire + ".tmp", []);
        File.Move(Wire + ".tmp", Wire, overwrite: true);
        WriteWire(2);
        pump.Pump();
        Assert.Equal(["line 0", "line 1", "line 2", "line 3"], ReadBack(rotation));
    }

    [Fact]
    public void LocalDriverLogsReadBack()
    {
        var rotation = new LogRotation(400, 3, true);
        using (var pump = ContainerLogPump.Open(Wire, Path.Combine(_directory, "local-logs", "container.log"), Checkpoint, rotation, LocalFormat.Instance))
        {
            for (int batch = 0; batch < 5; batch++)
            {
                WriteWire(10);
                pump.Pump();
            }
        }

        using var follower = DriverLog.Open(Path.Combine(_directory, "local-logs", "container.log"), rotation, LocalFormat.Instance);
        var texts = follower.ReadNew().Select(r => Encoding.UTF8.GetString(r.Content)).ToList();
        Assert.Equal($"line {_written - 1}", texts[^1]);
        Assert.True(File.Exists(Path.Combine(_directory, "local-logs", "container.log.1.gz")));
    }

    private ContainerLogPump Open(LogRotation rotation) => ContainerLogPump.Open(Wire, Log, Checkpoint, rotation, JsonFileFormat.Plain);

    private List<string> ReadBack(LogRotation rotation)
    {
        using var follower = DriverLog.Open(Log, rotation, JsonFileFormat.Plain);
        return [.. follower.ReadNew().Select(r => Encoding.UTF8.GetString(r.Content))];
    }

    /// <summary>Appends lines to the wire as conmon does.</summary>
    private void WriteWire(int lines)
    {
        var output = new ArrayBufferWriter<byte>();
        for (int i = 0; i < lines; i++, _written++)
        {
            K8sFileFormat.Instance.Write(new LogRecord(Start + _written, LogStream.Stdout, false, Encoding.UTF8.GetBytes($"line {_written}")), output);
        }

        using var file = new FileStream(Wire, FileMode.Append);
        file.Write(output.WrittenSpan);
    }
}
