using System.Formats.Tar;
using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Build;

namespace Berth.Runtime.Tests.Build;

/// <summary>A build context that is not a whole tar (found by the API fuzzer: POST /build answered 500) is the client's error.</summary>
public sealed class BuildContextDirectoryTests : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "berth-contexts-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Broken => ["truncated", "two bytes", "garbage"];

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_context_that_is_not_a_whole_tar_is_refused_as_invalid_and_leaves_nothing(string kind)
    {
        byte[] tar = Tar();
        byte[] body = kind switch
        {
            "truncated" => tar[..(tar.Length / 3)],
            "two bytes" => "[]"u8.ToArray(),
            _ => Encoding.ASCII.GetBytes(new string('g', 1500)),
        };

        var e = await Assert.ThrowsAsync<BerthException>(() => BuildContextDirectory.ExtractAsync(_parent, new MemoryStream(body)));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("not a valid tar stream", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_parent));
    }

    [Fact]
    public async Task A_whole_tar_is_extracted()
    {
        using var context = await BuildContextDirectory.ExtractAsync(_parent, new MemoryStream(Tar()));

        Assert.Equal("FROM scratch\n", File.ReadAllText(Path.Combine(context.Path, "Dockerfile")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_parent))
        {
            Directory.Delete(_parent, recursive: true);
        }
    }

    private static byte[] Tar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream("FROM scratch\n"u8.ToArray()), Mode = (UnixFileMode)0b110_100_100 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "big") { DataStream = new MemoryStream(new byte[4096]), Mode = (UnixFileMode)0b110_100_100 });
        }

        return buffer.ToArray();
    }
}
