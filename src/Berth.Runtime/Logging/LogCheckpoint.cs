using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Logging;

/// <summary>
/// How far a pump has carried conmon's output into the driver's log, written after each batch so that a berthd killed
/// at any point resumes without losing or repeating a line (<see cref="ContainerLogPump"/>): the wire was read through
/// <see cref="Wire"/>; the driver's current file holds <see cref="LogSize"/> bytes of it (what is beyond is cut, it is
/// written again); when <see cref="RotateFrom"/> is not 0 a rotation was under way, and the file with that inode, if
/// still current, is rotated first. Four little-endian 64-bit numbers, rewritten in place with one write.
/// </summary>
public readonly record struct LogCheckpoint(LogPosition Wire, long LogSize, ulong RotateFrom)
{
    public const int Bytes = 4 * sizeof(long);

    /// <summary>The checkpoint in <paramref name="path"/>; null when there is none (a new container) or it is incomplete.</summary>
    public static LogCheckpoint? Load(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        if (data.Length < Bytes)
        {
            return null;
        }

        var span = data.AsSpan();
        return new LogCheckpoint(
            new LogPosition(BinaryPrimitives.ReadUInt64LittleEndian(span), BinaryPrimitives.ReadInt64LittleEndian(span[8..])),
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[24..]));
    }

    public void Save(SafeFileHandle file)
    {
        Span<byte> data = stackalloc byte[Bytes];
        BinaryPrimitives.WriteUInt64LittleEndian(data, Wire.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(data[8..], Wire.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(data[16..], LogSize);
        BinaryPrimitives.WriteUInt64LittleEndian(data[24..], RotateFrom);
        RandomAccess.Write(file, data, 0);
    }
}
