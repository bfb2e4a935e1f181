using System.Collections.Immutable;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>How a reference finds its image: by tag, or — with a digest, as the CLI pins a service's image — by the digest it was pulled with.</summary>
public sealed class ImageStoreStateFindTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static readonly ImageStoreState State = ImageStoreState.Empty with
    {
        Images = ImmutableDictionary<string, ImageRecord>.Empty
            .Add("sha256:aa", new ImageRecord("sha256:aa", ["10.0.0.1:5000/bb:latest"], DateTimeOffset.UnixEpoch, [], 0))
            .Add("sha256:bb", new ImageRecord("sha256:bb", [], DateTimeOffset.UnixEpoch, [], 0) { RepoDigests = ["10.0.0.1:5000/bb@" + Digest] }),
    };

    [Theory]
    [InlineData("10.0.0.1:5000/bb:latest", "sha256:aa")]
    [InlineData("10.0.0.1:5000/bb@" + Digest, "sha256:bb")]
    [InlineData("10.0.0.1:5000/bb:latest@" + Digest, "sha256:bb")]
    [InlineData("10.0.0.1:5000/bb:other@" + Digest, "sha256:bb")]
    public void A_digest_decides_and_a_tag_alone_finds_by_tag(string reference, string id) =>
        Assert.Equal(id, State.Find(ImageReference.Parse(reference))?.Id);

    [Theory]
    [InlineData("10.0.0.1:5000/bb@sha256:2222222222222222222222222222222222222222222222222222222222222222")]
    [InlineData("10.0.0.1:5000/bb:v2")]
    [InlineData("10.0.0.2:5000/bb@" + Digest)]
    public void Another_digest_tag_or_repository_is_not_found(string reference) =>
        Assert.Null(State.Find(ImageReference.Parse(reference)));
}
