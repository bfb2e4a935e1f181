using Berth.Core.Errors;
using Berth.Core.Naming;

namespace Berth.Core.Tests.Naming;

/// <summary>Docker's lookup order and ambiguity rules for each kind of object.</summary>
public sealed class ObjectResolverTests
{
    private static readonly Thing Web = new("aaaa1111" + new string('0', 56), "web");
    private static readonly Thing Db = new("aaaa2222" + new string('0', 56), "db");

    /// <summary>A container named like another's id prefix: the name wins over the prefix.</summary>
    private static readonly Thing Tricky = new("bbbb" + new string('1', 60), "aaaa2222");

    private static readonly Thing[] Containers = [Web, Db, Tricky];

    private static Resolution<Thing> Find(ObjectKind kind, string term, IEnumerable<Thing> things) =>
        ObjectResolver.Resolve(kind, term, things, t => t.Id, (t, name) => t.Name == name);

    private static BerthException Fails(ObjectKind kind, string term, IEnumerable<Thing> things) =>
        Assert.Throws<BerthException>(() => Find(kind, term, things).GetOrThrow());

    [Fact]
    public void Container_full_id_then_name_then_unique_prefix()
    {
        Assert.Equal((Db, MatchedBy.FullId), Pair(Find(ObjectKind.Container, Db.Id, Containers)));
        Assert.Equal((Tricky, MatchedBy.Name), Pair(Find(ObjectKind.Container, "aaaa2222", Containers)));
        Assert.Equal((Web, MatchedBy.Name), Pair(Find(ObjectKind.Container, "/web", Containers)));
        Assert.Equal((Web, MatchedBy.IdPrefix), Pair(Find(ObjectKind.Container, "aaaa1", Containers)));
        Assert.Equal((Tricky, MatchedBy.IdPrefix), Pair(Find(ObjectKind.Container, "b", Containers)));
    }

    [Fact]
    public void A_full_id_beats_a_name_equal_to_it()
    {
        var impostor = new Thing("cccc" + new string('3', 60), Web.Id);
        Assert.Same(Web, Find(ObjectKind.Container, Web.Id, [impostor, Web]).Match);
    }

    [Fact]
    public void Container_ambiguous_prefix_is_dockers_400_and_a_miss_its_404()
    {
        var ambiguous = Fails(ObjectKind.Container, "aaaa", Containers);
        Assert.Equal(ErrorKind.InvalidArgument, ambiguous.Kind);
        Assert.Equal("multiple IDs found with provided prefix: aaaa", ambiguous.Message);
        Assert.Equal(ResolutionOutcome.AmbiguousPrefix, Find(ObjectKind.Container, "aaaa", Containers).Outcome);
        Assert.Equal(2, Find(ObjectKind.Container, "aaaa", Containers).Count);

        var missing = Fails(ObjectKind.Container, "nosuch", Containers);
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("No such container: nosuch", missing.Message);

        var empty = Fails(ObjectKind.Container, "", Containers);
        Assert.Equal(ErrorKind.InvalidArgument, empty.Kind);
        Assert.Equal("invalid container name or ID: value is empty", empty.Message);
    }

    [Fact]
    public void Network_names_may_repeat_and_then_are_ambiguous()
    {
        var twin = new Thing("dddd" + new string('4', 60), "web");
        var byName = Fails(ObjectKind.Network, "web", [Web, Db, twin]);
        Assert.Equal(ErrorKind.InvalidArgument, byName.Kind);
        Assert.Equal("network web is ambiguous (2 matches found on name)", byName.Message);

        // A full id still finds one of the twins.
        Assert.Same(twin, Find(ObjectKind.Network, twin.Id, [Web, Db, twin]).Match);

        var byPrefix = Fails(ObjectKind.Network, "aaaa", Containers);
        Assert.Equal("network aaaa is ambiguous (2 matches found based on ID prefix)", byPrefix.Message);
        Assert.Equal(ErrorKind.InvalidArgument, byPrefix.Kind);

        var missing = Fails(ObjectKind.Network, "nosuchnet", Containers);
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("network nosuchnet not found", missing.Message);
    }

    [Fact]
    public void Image_ids_match_with_or_without_sha256_then_references_then_hex_prefixes()
    {
        var busybox = new Thing("sha256:" + "abc1" + new string('5', 60), "busybox:latest");
        var alpine = new Thing("sha256:" + "abc2" + new string('6', 60), "alpine:latest");
        Thing[] images = [busybox, alpine];

        Assert.Equal((busybox, MatchedBy.FullId), Pair(Find(ObjectKind.Image, busybox.Id, images)));
        Assert.Equal((busybox, MatchedBy.FullId), Pair(Find(ObjectKind.Image, busybox.Id[7..], images)));
        Assert.Equal((alpine, MatchedBy.Name), Pair(Find(ObjectKind.Image, "alpine:latest", images)));
        Assert.Equal((alpine, MatchedBy.IdPrefix), Pair(Find(ObjectKind.Image, "abc2", images)));
        Assert.Equal((alpine, MatchedBy.IdPrefix), Pair(Find(ObjectKind.Image, "sha256:abc2", images)));

        // moby's image store: an ambiguous prefix, or a term that is neither reference nor hex, is no image at all.
        var ambiguous = Fails(ObjectKind.Image, "abc", images);
        Assert.Equal(ErrorKind.NotFound, ambiguous.Kind);
        Assert.Equal("No such image: abc", ambiguous.Message);
        Assert.Equal("No such image: nope:latest", Assert.Throws<BerthException>(() => Find(ObjectKind.Image, "nope", images).GetOrThrow("nope:latest")).Message);
        Assert.Equal(ResolutionOutcome.NotFound, Find(ObjectKind.Image, "xyz", images).Outcome);
    }

    [Fact]
    public void An_explicit_sha256_term_is_never_taken_for_a_name()
    {
        var named = new Thing("sha256:" + "ffff" + new string('7', 60), "sha256:abc");
        Assert.Equal(ResolutionOutcome.NotFound, Find(ObjectKind.Image, "sha256:abc", [named]).Outcome);
    }

    [Fact]
    public void Volumes_are_found_by_name_only()
    {
        var data = new Thing("unused-id", "data");
        Assert.Same(data, Find(ObjectKind.Volume, "data", [data]).Match);
        var e = Fails(ObjectKind.Volume, "unused", [data]);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("get unused: no such volume", e.Message);
    }

    private static (Thing? Match, MatchedBy By) Pair(Resolution<Thing> resolution) => (resolution.Match, resolution.By);

    private sealed record Thing(string Id, string Name);
}
