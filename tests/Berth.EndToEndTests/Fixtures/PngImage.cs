using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Just enough of PNG (RFC 2083) to look at a screenshot's pixels: 8-bit RGB or RGBA, not interlaced, as Chromium
/// writes them. The IDAT chunks are inflated and each scanline's filter undone (section 6).
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private PngImage(int width, int height, int bytesPerPixel, byte[] pixels)
    {
        Width = width;
        Height = height;
        BytesPerPixel = bytesPerPixel;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int BytesPerPixel { get; }

    /// <summary>Rows top to bottom, unfiltered, <see cref="BytesPerPixel"/> bytes a pixel.</summary>
    public byte[] Pixels { get; }

    public static PngImage Read(byte[] file)
    {
        if (file.Length < Signature.Length || !file.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG file");
        }

        int width = 0, height = 0, bytesPerPixel = 0;
        using var idat = new MemoryStream();
        for (int at = Signature.Length; at + 8 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (byte depth, byte colour, byte interlace) = (data[8], data[9], data[12]);
                bytesPerPixel = (depth, colour, interlace) switch
                {
                    (8, 2, 0) => 3,
                    (8, 6, 0) => 4,
                    _ => throw new InvalidDataException($"PNG of bit depth {depth}, colour type {colour}, interlace {interlace}: only 8-bit RGB(A) is read"),
                };
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length; // length, type, data, CRC
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        return new PngImage(width, height, bytesPerPixel, Unfilter(inflated.ToArray(), width, height, bytesPerPixel));
    }

    /// <summary>How many different colours the image holds.</summary>
    public int DistinctColours()
    {
        var colours = new HashSet<int>();
        for (int i = 0; i + BytesPerPixel <= Pixels.Length; i += BytesPerPixel)
        {
            colours.Add((Pixels[i] << 16) | (Pixels[i + 1] << 8) | Pixels[i + 2]);
        }

        return colours.Count;
    }

    private static byte[] Unfilter(byte[] data, int width, int height, int bpp)
    {
        int stride = width * bpp;
        if (data.Length < height * (stride + 1))
        {
            throw new InvalidDataException($"PNG data of {data.Length} bytes is short of {height} rows of {stride + 1}");
        }

        var pixels = new byte[height * stride];
        for (int row = 0; row < height; row++)
        {
            byte filter = data[row * (stride + 1)];
            var line = data.AsSpan((row * (stride + 1)) + 1, stride);
            var output = pixels.AsSpan(row * stride, stride);
            Span<byte> above = row == 0 ? new byte[stride] : pixels.AsSpan((row - 1) * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= bpp ? output[i - bpp] : 0;
                int up = above[i];
                int upLeft = i >= bpp ? above[i - bpp] : 0;
                output[i] = (byte)(line[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG row {row} has filter type {filter}"),
                });
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
