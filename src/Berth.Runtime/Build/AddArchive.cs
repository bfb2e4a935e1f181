using System.IO.Compression;
using Berth.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Build;

/// <summary>
/// <c>ADD</c>'s local archive rule (moby <c>isArchivePath</c>): a file whose content, decompressed, starts with a valid
/// tar header is unpacked instead of copied. Plain and gzip tars are read; bzip2, xz and zstd (which moby also reads)
/// are refused rather than copied as files, so a build never silently differs from Docker's.
/// </summary>
internal static class AddArchive
{
    /// <summary>POSIX tar: 512-byte headers, the checksum field at bytes 148–155 (octal), summed as if it were spaces.</summary>
    private const int HeaderSize = 512;
    private const int ChecksumOffset = 148;
    private const int ChecksumLength = 8;

    // RFC 1952 2.3.1 (gzip); bzip2 "BZh"; xz (tukaani xz-file-format 2.1.1.1); zstd (RFC 8878 3.1.1).
    private static readonly byte[] Gzip = [0x1f, 0x8b];
    private static readonly (byte[] Magic, string Name)[] Unsupported =
    [
        ([0x42, 0x5a, 0x68], "bzip2"),
        ([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], "xz"),
        ([0x28, 0xb5, 0x2f, 0xfd], "zstd"),
    ];

    /// <summary>Whether the file is a tar, plain or gzip; <paramref name="open"/> opens it again for each look.</summary>
    public static async Task<bool> IsTarAsync(Func<SafeFileHandle> open, string name, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(open, name, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] header = new byte[HeaderSize];
            try
            {
                int read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return read == HeaderSize && HasValidChecksum(header);
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }
    }

    /// <summary>The file's tar stream: decompressed when it is gzip.</summary>
    public static async Task<Stream> OpenAsync(Func<SafeFileHandle> open, string name, CancellationToken cancellationToken)
    {
        var file = new FileStream(open(), FileAccess.Read, bufferSize: 0);
        byte[] magic = new byte[Unsupported.Max(u => u.Magic.Length)];
        int read = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        file.Position = 0;
        var start = magic.AsSpan(0, read);
        foreach (var (signature, format) in Unsupported)
        {
            if (start.StartsWith(signature))
            {
                await file.DisposeAsync().ConfigureAwait(false);
                throw new BerthException(ErrorKind.NotSupported, $"ADD {name}: {format}-compressed archives are not supported yet; use a plain or gzip tar, or COPY the file");
            }
        }

        return start.StartsWith(Gzip) ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
    }

    private static bool HasValidChecksum(ReadOnlySpan<byte> header)
    {
        if (!header.ContainsAnyExcept((byte)0))
        {
            return false;
        }

        var field = header.Slice(ChecksumOffset, ChecksumLength);
        string text = System.Text.Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length is 0 or > ChecksumLength || text.Any(c => c is < '0' or > '7'))
        {
            return false;
        }

        long expected = Convert.ToInt64(text, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < HeaderSize; i++)
        {
            byte b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        // Go's archive/tar accepts either sum (some old tars summed signed bytes).
        return expected == unsigned || expected == signed;
    }
}
