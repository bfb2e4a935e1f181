using System.Buffers;
using System.Globalization;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Logging;

/// <summary>conmon's k8s-file log, <c>TIME STREAM P|F TEXT</c> per line (<see cref="ContainerLogReader"/>): the wire from conmon to berthd.</summary>
public sealed class K8sFileFormat : ILogFormat
{
    public static K8sFileFormat Instance { get; } = new();

    public int Read(ReadOnlySpan<byte> data, out LogRecord? record)
    {
        int newline = data.IndexOf((byte)'\n');
        record = newline > 0 ? ContainerLogReader.ParseRecord(data[..newline]) : null;
        return newline + 1;
    }

    /// <summary>As conmon writes it (nine fractional digits, UTC); used by tests that play conmon.</summary>
    public void Write(LogRecord record, ArrayBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        string head = string.Create(CultureInfo.InvariantCulture,
            $"{record.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss}.{record.UnixNanos % 1_000_000_000:D9}+00:00 {(record.Stream == LogStream.Stdout ? "stdout" : "stderr")} {(record.Partial ? 'P' : 'F')} ");
        System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.ASCII, head, output);
        output.Write(record.Content);
        output.Write("\n"u8);
    }
}
