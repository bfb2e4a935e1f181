using System.Buffers.Binary;
using System.Text;
using Berth.Cli.Streams;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// One container's log stream as compose prints it: every line after the container's prefix (<c>p_db_1  | </c>),
/// stdout and stderr alike, whole lines only, so several containers can print to one terminal without mixing lines.
/// The stream is Docker's framing (<c>[stream][0,0,0][length BE][payload]</c>) unless the container has a Tty.
/// </summary>
internal sealed class LogLinePrinter(TextWriter output, Lock gate, string prefix)
{
    private const int ReadBufferBytes = 16 * 1024;
    private const byte StderrStream = 2;
    private const byte SystemErrorStream = 3;

    private readonly Decoder[] decoders = [Encoding.UTF8.GetDecoder(), Encoding.UTF8.GetDecoder()];
    private readonly StringBuilder[] pending = [new(), new()];

    /// <summary>Prints <paramref name="source"/> to its end, then whatever partial lines are left.</summary>
    public async Task CopyAsync(Stream source, bool tty, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadBufferBytes];
        if (tty)
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Append(0, buffer.AsSpan(0, read));
            }
        }
        else
        {
            var header = new byte[FrameDemultiplexer.HeaderLength];
            while (await FrameDemultiplexer.ReadFullAsync(source, header, cancellationToken).ConfigureAwait(false) == FrameDemultiplexer.HeaderLength)
            {
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                if (buffer.Length < length)
                {
                    buffer = new byte[length];
                }

                var read = await FrameDemultiplexer.ReadFullAsync(source, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                var stream = header[0] switch
                {
                    StderrStream => 1,
                    SystemErrorStream => 1,
                    _ => 0,
                };
                Append(stream, buffer.AsSpan(0, read));
                if (read < length)
                {
                    break;
                }
            }
        }

        Flush();
    }

    /// <summary>Takes bytes of one stream (0 stdout, 1 stderr) and prints the lines they complete.</summary>
    public void Append(int stream, ReadOnlySpan<byte> bytes)
    {
        var decoder = decoders[stream];
        var chars = new char[decoder.GetCharCount(bytes, flush: false)];
        var count = decoder.GetChars(bytes, chars, flush: false);
        var text = pending[stream].Append(chars, 0, count);
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text.ToString(start, i - start).TrimEnd('\r'));
                start = i + 1;
            }
        }

        text.Remove(0, start);
        Print(lines);
    }

    /// <summary>Prints the partial lines still held (the stream ended without a newline).</summary>
    public void Flush()
    {
        var lines = new List<string>();
        foreach (var text in pending)
        {
            if (text.Length > 0)
            {
                lines.Add(text.ToString());
                text.Clear();
            }
        }

        Print(lines);
    }

    private void Print(List<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            foreach (var line in lines)
            {
                output.Write(prefix);
                output.Write(line);
                output.Write('\n');
            }

            output.Flush();
        }
    }
}
