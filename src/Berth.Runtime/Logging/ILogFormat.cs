using System.Buffers;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Logging;

/// <summary>
/// How log records are laid out in a file: conmon's k8s-file (the wire from conmon to berthd), Docker's json-file,
/// Docker's local. Records are read one at a time from the front of a buffer, so a follower can stop at a record
/// not yet complete and pick it up at its next read.
/// </summary>
public interface ILogFormat
{
    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>: the bytes it takes, 0 when it is not complete yet.
    /// <paramref name="record"/> is null for bytes that carry no record (an empty line).
    /// </summary>
    int Read(ReadOnlySpan<byte> data, out LogRecord? record);

    /// <summary>Appends the encoding of <paramref name="record"/> to <paramref name="output"/>.</summary>
    void Write(LogRecord record, ArrayBufferWriter<byte> output);
}
