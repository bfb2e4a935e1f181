namespace Berth.Api.Contracts;

/// <summary>One element of <c>GET /images/{name}/history</c>, newest first.</summary>
public sealed class ImageHistoryItem
{
    public string Comment { get; set; } = "";

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string CreatedBy { get; set; } = "";

    public string Id { get; set; } = "";

    public long Size { get; set; }

    public List<string>? Tags { get; set; }
}
