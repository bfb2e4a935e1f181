using System.Text;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Store.Tests;

public sealed class StoreJsonTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private readonly InMemoryStateStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Put_and_get_round_trip_a_record()
    {
        await _store.PutJsonAsync("networks/a", new Sample("a", 1), Options);

        Assert.Equal(new Sample("a", 1), await _store.GetJsonAsync<Sample>("networks/a", Options));
        Assert.Null(await _store.GetJsonAsync<Sample>("networks/missing", Options));
        Assert.Equal("{\"name\":\"a\",\"count\":1}", Encoding.UTF8.GetString((await _store.GetAsync("networks/a"))!.Value.Span));
    }

    [Fact]
    public async Task TryCreate_succeeds_only_when_absent()
    {
        Assert.True(await _store.TryCreateAsync("networks/a", new Sample("first", 1), Options));
        Assert.False(await _store.TryCreateAsync("networks/a", new Sample("second", 1), Options));
        Assert.Equal("first", (await _store.GetJsonAsync<Sample>("networks/a", Options))!.Name);
    }

    [Fact]
    public async Task TryUpdate_succeeds_only_at_the_expected_revision()
    {
        await _store.PutJsonAsync("networks/a", new Sample("a", 1), Options);
        var seen = (await _store.GetJsonEntryAsync<Sample>("networks/a", Options))!;

        Assert.True(await _store.TryUpdateAsync("networks/a", seen.Value with { Count = 2 }, seen.ModRevision, Options));
        Assert.False(await _store.TryUpdateAsync("networks/a", seen.Value with { Count = 3 }, seen.ModRevision, Options));
        Assert.Equal(2, (await _store.GetJsonAsync<Sample>("networks/a", Options))!.Count);
    }

    [Fact]
    public async Task List_decodes_every_entry_in_key_order()
    {
        await _store.PutJsonAsync("networks/b", new Sample("b", 2), Options);
        await _store.PutJsonAsync("networks/a", new Sample("a", 1), Options);

        var listed = await _store.ListJsonAsync<Sample>("networks/", Options);

        Assert.Equal(["a", "b"], listed.Select(e => e.Value.Name));
    }

    [Fact]
    public async Task Malformed_json_is_an_error_naming_the_key()
    {
        await _store.PutAsync("networks/bad", Encoding.UTF8.GetBytes("{not json"));

        var error = await Assert.ThrowsAsync<BerthException>(() => _store.GetJsonAsync<Sample>("networks/bad", Options));
        Assert.Equal(ErrorKind.Internal, error.Kind);
        Assert.Contains("\"networks/bad\"", error.Message, StringComparison.Ordinal);
    }

    public sealed record Sample(string Name, int Count);
}
