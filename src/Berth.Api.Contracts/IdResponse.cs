namespace Berth.Api.Contracts;

/// <summary>moby's <c>IDResponse</c>: <c>{"Id":"…"}</c> (exec create).</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}
