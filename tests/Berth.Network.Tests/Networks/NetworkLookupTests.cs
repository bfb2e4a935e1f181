using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;

namespace Berth.Network.Tests.Networks;

/// <summary>Docker's lookup order: full id, exact name, unique id prefix.</summary>
public sealed class NetworkLookupTests
{
    private static readonly NetworkState Front = Make("frontnet", "aaaa1111" + new string('0', 56));
    private static readonly NetworkState Back = Make("backnet", "aaaa2222" + new string('0', 56));
    private static readonly NetworkState Tricky = Make("aaaa2222", "bbbb" + new string('1', 60));
    private static readonly ImmutableDictionary<NetworkId, NetworkState> All =
        new[] { Front, Back, Tricky }.ToImmutableDictionary(n => n.Id);

    [Fact]
    public void FullIdWins() => Assert.Same(Back, NetworkManager.Find(All.Values, Back.Id.Value));

    [Fact]
    public void ExactNameBeatsAnIdPrefix() => Assert.Same(Tricky, NetworkManager.Find(All.Values, "aaaa2222"));

    [Fact]
    public void UniquePrefixFindsTheNetwork() => Assert.Same(Front, NetworkManager.Find(All.Values, "aaaa1"));

    [Fact]
    public void AmbiguousPrefixIsAnError()
    {
        var e = Assert.Throws<BerthException>(() => NetworkManager.Find(All.Values, "aaaa"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("network aaaa is ambiguous (2 matches found based on ID prefix)", e.Message);
    }

    [Fact]
    public void MissingIsDockersNotFound()
    {
        var e = Assert.Throws<BerthException>(() => NetworkManager.Find(All.Values, "nosuchnet"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("network nosuchnet not found", e.Message);
    }

    [Fact]
    public void TwoNetworksWithOneNameAreAmbiguousByName()
    {
        var twin = Make("frontnet", "cccc" + new string('2', 60));
        var e = Assert.Throws<BerthException>(() => NetworkManager.Find(All.Add(twin.Id, twin).Values, "frontnet"));
        Assert.Contains("ambiguous", e.Message, StringComparison.Ordinal);
    }

    private static NetworkState Make(string name, string id) => new()
    {
        Id = new NetworkId(id),
        Config = new NetworkConfig { Name = name },
        Created = DateTimeOffset.UnixEpoch,
        Phase = NetworkPhase.Ready,
    };
}
