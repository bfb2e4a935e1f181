using Berth.Core.Errors;
using Berth.Runtime.Tests.Engine.Fakes;

namespace Berth.Runtime.Tests.Engine;

/// <summary><c>docker rm --link</c> of a name that is not a link (found by the API fuzzer as a 500).</summary>
public sealed class RemoveLinkTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("/web")]
    [InlineData("_|@")]
    public async Task A_containers_own_name_is_not_a_link_and_removing_it_is_a_conflict(string name)
    {
        await using var engine = await EngineHarness.StartAsync();
        await engine.CreateAsync("web");

        var e = await Assert.ThrowsAsync<BerthException>(() => engine.Lifecycle.RemoveLinkAsync(name));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal("Conflict, cannot remove the default link name of the container", e.Message);
        Assert.Equal("web", engine.Records.Find("web").Name.TrimStart('/'));
    }
}
