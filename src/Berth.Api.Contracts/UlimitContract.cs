namespace Berth.Api.Contracts;

/// <summary>Docker's <c>Ulimit</c>: <c>{"Name": "nofile", "Hard": 2048, "Soft": 1024}</c>.</summary>
public sealed class UlimitContract
{
    public string Name { get; set; } = "";

    public long Hard { get; set; }

    public long Soft { get; set; }
}
