using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest")]
    [InlineData("index.docker.io/library/busybox:x", "docker.io/library/busybox:x", "busybox:x")]
    [InlineData("me/app:v1", "docker.io/me/app:v1", "me/app:v1")]
    [InlineData("127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000/test/busybox:1")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost/app:latest")]
    [InlineData("ghcr.io/a/b/c:tag", "ghcr.io/a/b/c:tag", "ghcr.io/a/b/c:tag")]
    [InlineData("localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x:latest")]
    public void Normalises_like_docker(string text, string full, string familiar)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(full, reference.FullName);
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Fact]
    public void Digest_reference_has_no_default_tag()
    {
        string digest = "sha256:" + new string('a', 64);
        var reference = ImageReference.Parse("busybox@" + digest);
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal("docker.io/library/busybox@" + digest, reference.FullName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Busybox")]
    [InlineData("busybox:")]
    [InlineData("busybox:-bad")]
    [InlineData("a//b")]
    [InlineData("busybox@sha256:xyz")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Rejects_invalid_references(string text)
    {
        var ex = Assert.Throws<BerthException>(() => ImageReference.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Uppercase_repository_message_says_lowercase()
    {
        var ex = Assert.Throws<BerthException>(() => ImageReference.Parse("Foo/Bar"));
        Assert.Contains("must be lowercase", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.1.2.3:80", "http://127.1.2.3/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    [InlineData("ghcr.io", "https://ghcr.io/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    public void Loopback_registries_use_plain_http(string domain, string expected)
    {
        Assert.Equal(expected, RegistryEndpoint.Default.BaseUri(domain).ToString());
    }
}
