using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;
using Berth.Runtime.Containers;
using Berth.Runtime.Users;

namespace Berth.Runtime.Tests.Users;

/// <summary>--userns-remap's value, the host's databases read as moby reads them, the mapping and the OCI spec it makes.</summary>
public sealed class UsernsRemapTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nberthremap:x:998:998::/home/berthremap:/bin/false\nalice:x:1000:1000::/home/alice:/bin/sh\n";
    private const string Group = "root:x:0:\nnogroup:x:65534:\nberthremap:x:998:\nalice:x:1000:\nstaff:x:50:\n";

    [Fact]
    public void TheFlagsFormsAreDockers()
    {
        Assert.Equal(new UsernsRemap("berthremap", "berthremap"), UsernsRemap.Parse("default"));
        Assert.True(UsernsRemap.Parse("default").IsDefault);
        Assert.Equal(new UsernsRemap("alice", "alice"), UsernsRemap.Parse("alice"));
        Assert.Equal(new UsernsRemap("alice", "staff"), UsernsRemap.Parse("alice:staff"));
        Assert.Equal(new UsernsRemap("1000", "50"), UsernsRemap.Parse("1000:50"));
        foreach (string bad in (string[])["", ":", "a:", ":b", "a:b:c"])
        {
            var error = Assert.Throws<BerthException>(() => UsernsRemap.Parse(bad));
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            Assert.Contains("give default, USER, USER:GROUP, UID or UID:GID", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RangesOfTheUserAndGroupAreLaidEndToEnd()
    {
        // By name or by number, every range of the owner in file order (moby's createIDMap); others' are ignored.
        string subuid = "alice:100000:65536\nbob:300000:65536\n# comment\n1000:200000:10\n";
        string subgid = "staff:500000:65536\n";
        var mapping = UsernsRemap.Parse("1000:staff").Resolve(Passwd, Group, subuid, subgid);
        Assert.Equal<IdRange>([new(0, 100000, 65536), new(65536, 200000, 10)], mapping.Uids);
        Assert.Equal<IdRange>([new(0, 500000, 65536)], mapping.Gids);
        Assert.Equal((100000u, 500000u), (mapping.RootUid, mapping.RootGid));
        Assert.Equal("100000.500000", mapping.DirectoryName);
        Assert.Equal("alice:staff", mapping.User);
        Assert.Equal(200005u, mapping.ToHostUid(65541));
        Assert.Equal(65541u, mapping.ToContainerUid(200005));
        Assert.Null(mapping.ToContainerUid(0));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => mapping.ToHostUid(65546)).Kind);
    }

    [Fact]
    public void WhatIsMissingIsNamedWithWhatToDo()
    {
        Assert.Contains("no such user \"carol\" in /etc/passwd", Assert.Throws<BerthException>(() => UsernsRemap.Parse("carol").Resolve(Passwd, Group, "", "")).Message, StringComparison.Ordinal);
        Assert.Contains("user id 4242 has no entry in /etc/passwd", Assert.Throws<BerthException>(() => UsernsRemap.Parse("4242").Resolve(Passwd, Group, "", "")).Message, StringComparison.Ordinal);
        Assert.Contains("no such group \"nobody\"", Assert.Throws<BerthException>(() => UsernsRemap.Parse("nobody").Resolve(Passwd, Group, "", "")).Message, StringComparison.Ordinal);
        Assert.Contains("no subuid ranges found for user \"alice\" in /etc/subuid; add one, e.g. alice:100000:65536",
            Assert.Throws<BerthException>(() => UsernsRemap.Parse("alice").Resolve(Passwd, Group, "bob:1:2\n", "")).Message, StringComparison.Ordinal);
        Assert.Contains("no subgid ranges found for group \"alice\"",
            Assert.Throws<BerthException>(() => UsernsRemap.Parse("alice").Resolve(Passwd, Group, "alice:100000:65536\n", "")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFreeRangeStartsAboveEveryTakenOne()
    {
        Assert.Equal(100000u, SubordinateIds.FreeStart("", 100000, 65536));
        Assert.Equal(100000u, SubordinateIds.FreeStart("a:300000:65536\n", 100000, 65536));
        Assert.Equal(165536u, SubordinateIds.FreeStart("a:100000:65536\n", 100000, 65536));
        Assert.Equal(365536u, SubordinateIds.FreeStart("a:100000:65536\nb:200000:165536\nc:150000:10\n", 100000, 65536));
        Assert.Equal(100000u, SubordinateIds.FreeStart("a:1000:100\n", 100000, 65536));
    }

    [Fact]
    public void TheSpecJoinsOrMakesAUserNamespaceWithTheMaps()
    {
        var mapping = new IdentityMapping([new(0, 100000, 65536)], [new(0, 200000, 65536)]);
        var spec = new ContainerSpec { Id = "c1", Layers = ["/layers/a"], Cmd = ["sh"], NetworkNamespacePath = "/run/berth/netns/c-1", UserNamespacePath = "/run/berth/userns/c-1" };
        var linux = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec, new ContainerPaths("/b"), mapping)))!["linux"]!;
        Assert.Equal("""{"type":"user","path":"/run/berth/userns/c-1"}""", linux["namespaces"]![0]!.ToJsonString());
        Assert.Equal("""[{"containerID":0,"hostID":100000,"size":65536}]""", linux["uidMappings"]!.ToJsonString());
        Assert.Equal("""[{"containerID":0,"hostID":200000,"size":65536}]""", linux["gidMappings"]!.ToJsonString());

        var fresh = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec with { UserNamespacePath = null }, new ContainerPaths("/b"), mapping)))!["linux"]!;
        Assert.Equal("""{"type":"user"}""", fresh["namespaces"]![0]!.ToJsonString());
        var none = JsonNode.Parse(OciSpecBuilder.Serialize(OciSpecBuilder.Build(spec, new ContainerPaths("/b"))))!["linux"]!;
        Assert.DoesNotContain(none["namespaces"]!.AsArray(), n => n!["type"]!.GetValue<string>() == "user");
        Assert.Null(none["uidMappings"]);
    }

    [Fact]
    public void TheUserNamespaceFileSitsBesideTheNetworkNamespaces()
    {
        Assert.Equal("/run/berth/userns/c-0123456789ab", NamespaceManager.UserNamespacePathFor("/run/berth/netns/c-0123456789ab"));
        ImmutableArray<IdRange> ranges = IdentityMapping.Contiguous([(100000u, 10u), (300000u, 5u)]);
        Assert.Equal<IdRange>([new(0, 100000, 10), new(10, 300000, 5)], ranges);
    }
}
