namespace Berth.Api.Contracts;

/// <summary>The storage driver that holds an image's layers and its data (lower directories, top first).</summary>
public sealed class ImageGraphDriver
{
    public Dictionary<string, string>? Data { get; set; }

    public string Name { get; set; } = "";
}
