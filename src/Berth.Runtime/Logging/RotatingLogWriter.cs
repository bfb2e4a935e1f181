using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Logging;

/// <summary>
/// Writes a driver's log file and rotates it as moby's <c>loggerutils.LogFile</c> does (<see cref="LogRotation"/>):
/// records go to <see cref="Buffer"/> and reach the file at <see cref="Flush"/> (one write per batch); when the file
/// holds <c>max-size</c> bytes the next record starts a new one. Not thread-safe: one pump writes.
/// </summary>
public sealed class RotatingLogWriter : IDisposable
{
    private const string GzipExtension = ".gz";

    private readonly string _path;
    private readonly LogRotation _rotation;
    private SafeFileHandle _file;
    private long _flushed;

    public RotatingLogWriter(string path, LogRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        _path = path;
        _rotation = rotation;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = Open(FileMode.OpenOrCreate);
        _flushed = RandomAccess.GetLength(_file);
    }

    /// <summary>Encoded records not yet in the file.</summary>
    public ArrayBufferWriter<byte> Buffer { get; } = new();

    /// <summary>The current file's size, what is buffered included.</summary>
    public long Size => _flushed + Buffer.WrittenCount;

    /// <summary>The current file's inode.</summary>
    public ulong Inode => FileInode.Of(_file) ?? 0;

    /// <summary>Whether the next record starts a new file (moby: the file has reached <c>max-size</c>).</summary>
    public bool IsFull => _rotation.MaxSize is long max && Size >= max;

    public void Flush()
    {
        if (Buffer.WrittenCount > 0)
        {
            RandomAccess.Write(_file, Buffer.WrittenSpan, _flushed);
            _flushed += Buffer.WrittenCount;
            Buffer.ResetWrittenCount();
        }
    }

    /// <summary>Cuts the current file back to <paramref name="size"/> bytes (what a crash wrote past the last checkpoint).</summary>
    public void TruncateTo(long size)
    {
        Flush();
        if (_flushed > size)
        {
            RandomAccess.SetLength(_file, size);
            _flushed = size;
        }
    }

    /// <summary>Flushes, moves the full file out of the way (<see cref="RotateFiles"/>) and continues in an empty one.</summary>
    public void Rotate()
    {
        Flush();
        _file.Dispose();
        RotateFiles(_path, _rotation);
        _file = Open(FileMode.Create);
        _flushed = 0;
        CompressRotated(_path, _rotation);
    }

    /// <summary>
    /// The renames of a rotation (moby <c>rotate</c>): the oldest kept file dropped, <c>NAME.i</c> → <c>NAME.(i+1)</c>, the
    /// current file → <c>NAME.1</c>; with one file the current file is removed.
    /// </summary>
    public static void RotateFiles(string path, LogRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        if (rotation.MaxFiles < 2)
        {
            File.Delete(path);
            return;
        }

        string extension = rotation.Compress ? GzipExtension : "";
        File.Delete(Rotated(path, rotation.MaxFiles - 1) + extension);
        for (int i = rotation.MaxFiles - 1; i > 1; i--)
        {
            MoveIfExists(Rotated(path, i - 1) + extension, Rotated(path, i) + extension);
        }

        MoveIfExists(path, Rotated(path, 1));
    }

    /// <summary>
    /// Gzips <c>NAME.1</c> into <c>NAME.1.gz</c>, then removes it (readers take <c>NAME.1</c> while it exists, so there is
    /// always one whole copy). Run after each rotation, and at recovery for one a crash interrupted.
    /// </summary>
    public static void CompressRotated(string path, LogRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        string plain = Rotated(path, 1);
        if (!rotation.Compress || !File.Exists(plain))
        {
            return;
        }

        using (var source = File.OpenRead(plain))
        using (var target = File.Create(plain + GzipExtension))
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
        {
            source.CopyTo(gzip);
        }

        File.Delete(plain);
    }

    /// <summary>The kept files, oldest first, the current one last; a rotated file is either plain or gzipped (<c>.gz</c>).</summary>
    public static IReadOnlyList<string> Files(string path, LogRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        var files = new List<string>();
        for (int i = rotation.MaxFiles - 1; i >= 1; i--)
        {
            string plain = Rotated(path, i);
            if (File.Exists(plain))
            {
                files.Add(plain);
            }
            else if (File.Exists(plain + GzipExtension))
            {
                files.Add(plain + GzipExtension);
            }
        }

        files.Add(path);
        return files;
    }

    /// <summary>The whole content of one kept file, gunzipped when it is a <c>.gz</c>; empty when it has gone.</summary>
    public static byte[] ReadAll(string file)
    {
        try
        {
            if (!file.EndsWith(GzipExtension, StringComparison.Ordinal))
            {
                return File.ReadAllBytes(file);
            }

            using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var content = new MemoryStream();
            gzip.CopyTo(content);
            return content.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Rotated away between the listing and the read.
            return [];
        }
    }

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }

    private static string Rotated(string path, int index) => path + "." + index.ToString(CultureInfo.InvariantCulture);

    private static void MoveIfExists(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            // Fewer files than the rotation keeps, yet.
        }
    }

    private SafeFileHandle Open(FileMode mode) => File.OpenHandle(_path, mode, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
}
