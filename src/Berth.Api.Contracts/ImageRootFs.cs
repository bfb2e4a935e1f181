namespace Berth.Api.Contracts;

/// <summary>An image's layers as diff ids, bottom first.</summary>
public sealed class ImageRootFs
{
    public string Type { get; set; } = "layers";

    public List<string> Layers { get; set; } = [];
}
