namespace Berth.Api.Contracts;

/// <summary>Docker's <c>Ulimit</c>: <c>{"Name": "nofile", "Soft": 1024, "Hard": 2048}</c>.</summary>
public sealed class UlimitContract
{
    public string Name { get; set; } = "";

    public long Soft { get; set; }

    public long Hard { get; set; }
}
