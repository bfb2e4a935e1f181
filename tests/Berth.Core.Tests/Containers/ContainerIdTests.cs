using System.Text.Json;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Naming;

namespace Berth.Core.Tests.Containers;

/// <summary>A container id is a full 64-hex id, never a name or a prefix.</summary>
public sealed class ContainerIdTests
{
    private const string Full = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_full_id_parses_and_prints_as_itself_with_a_12_character_short_form()
    {
        var id = ContainerId.Parse(Full);
        Assert.Equal(Full, id.ToString());
        Assert.Equal(Full, id.Value);
        Assert.Equal("0123456789ab", id.Short);
        Assert.Equal(id, ContainerId.Parse(Full));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("0123456789ab")]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_a_prefix_or_anything_not_64_lowercase_hex_digits_is_refused(string? text)
    {
        Assert.False(ContainerId.TryParse(text, out _));
        var error = Assert.Throws<BerthException>(() => ContainerId.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void New_ids_are_valid_and_distinct()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => ContainerId.New()).ToHashSet();
        Assert.Equal(100, ids.Count);
        Assert.All(ids, id => Assert.Equal(id, ContainerId.Parse(id.Value)));
    }

    [Fact]
    public void Json_is_the_plain_string_as_records_stored_it_before()
    {
        var id = ContainerId.Parse(Full);
        Assert.Equal($"\"{Full}\"", JsonSerializer.Serialize(id, ContainerIdJsonContext.Default.ContainerId));
        Assert.Equal(id, JsonSerializer.Deserialize($"\"{Full}\"", ContainerIdJsonContext.Default.ContainerId));
        Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize("\"web\"", ContainerIdJsonContext.Default.ContainerId));
    }

    [Fact]
    public void The_resolver_turns_an_id_a_name_or_a_unique_prefix_into_the_containers_id()
    {
        var web = (Id: ContainerId.Parse(Full), Name: "web");
        var db = (Id: ContainerId.Parse("f" + Full[1..]), Name: "db");
        Tuple<ContainerId, string>[] all = [Tuple.Create(web.Id, web.Name), Tuple.Create(db.Id, db.Name)];
        ContainerId Find(string term) => ObjectResolver.ResolveContainer(term, all, c => c.Item1, c => c.Item2).GetOrThrow().Item1;

        Assert.Equal(web.Id, Find(Full));
        Assert.Equal(web.Id, Find("/web"));
        Assert.Equal(db.Id, Find("db"));
        Assert.Equal(db.Id, Find("f1"));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => Find("nope")).Kind);
    }
}
