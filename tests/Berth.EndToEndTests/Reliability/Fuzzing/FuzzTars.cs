using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using CsCheck;

namespace Berth.Fuzzing;

/// <summary>
/// Hostile tarballs for <c>PUT /containers/{id}/archive</c>, <c>POST /images/load</c> and <c>POST /build</c>:
/// entries that climb out (<c>../</c>, absolute paths, symlinks pointing out and files written through them, hard
/// links to host files), broken archives, and a gzip bomb (about a megabyte that expands to <see cref="BombBytes"/>).
/// </summary>
public static class FuzzTars
{
    /// <summary>What the bomb expands to: far more than any sane upload, small enough to build in a second or two.</summary>
    public const long BombBytes = 1L << 30;

    private static readonly Lazy<byte[]> Bomb = new(BuildBomb);

    public sealed record Tar(byte[] Bytes, string What);

    private static readonly string[] Kinds = ["dotdot", "absolute", "symlink-out", "through-symlink", "hardlink-out", "deep-dotdot", "manifest-out", "truncated", "garbage", "bomb", "plain"];

    public static Gen<Tar> For(FuzzBody body) => Gen.Int[0, Kinds.Length - 1].Select(i => Make(Kinds[i], body));

    private static Tar Make(string kind, FuzzBody body)
    {
        if (kind == "bomb")
        {
            return new Tar(Bomb.Value, "gzip bomb");
        }

        if (kind == "garbage")
        {
            return new Tar(Encoding.ASCII.GetBytes(new string('g', 1500)), "not a tar");
        }

        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (body == FuzzBody.BuildTar)
            {
                File(writer, "Dockerfile", "FROM scratch\nCOPY . /\n");
            }

            switch (kind)
            {
                case "dotdot": File(writer, "../fz-escaped", "out"); break;
                case "absolute": File(writer, "/tmp/fz-absolute", "out"); break;
                case "symlink-out": writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "fz-link") { LinkName = "/" }); break;
                case "through-symlink":
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "fz-up") { LinkName = "../../../../../../tmp" });
                    File(writer, "fz-up/fz-through", "out");
                    break;
                case "hardlink-out": writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "fz-hard") { LinkName = "/etc/shadow" }); break;
                case "deep-dotdot": File(writer, "a/b/../../../../../../fz-deep", "out"); break;
                case "manifest-out":
                    File(writer, "manifest.json", "[{\"Config\":\"../../../../etc/passwd\",\"RepoTags\":[\"fz-load:1\"],\"Layers\":[\"/etc/shadow\",\"../x/layer.tar\"]}]");
                    File(writer, "repositories", "{\"fz-load\":{\"1\":\"../../etc\"}}");
                    break;
                default: File(writer, "fz-plain.txt", "plain"); break;
            }
        }

        byte[] bytes = buffer.ToArray();
        return kind == "truncated" ? new Tar(bytes[..(bytes.Length / 3)], "truncated tar") : new Tar(bytes, kind + " tar");
    }

    private static void File(TarWriter writer, string name, string content) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100 });

    // One ustar entry of BombBytes zeros, gzip'd: the zeros compress about 1000:1. TarWriter wants a seekable data
    // stream it could measure, so the header is written by hand (POSIX ustar: name, mode, uid, gid, size, mtime, checksum).
    private static byte[] BuildBomb()
    {
        const int Block = 512;
        byte[] header = new byte[Block];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, "fz-bomb");
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(BombBytes, 8).PadLeft(11, '0') + "\0");
        Put(136, "00000000000\0");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(148, "        ");
        int sum = header.Sum(b => b);
        Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(header);
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < BombBytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }

            gzip.Write(new byte[2 * Block]);
        }

        return compressed.ToArray();
    }
}
