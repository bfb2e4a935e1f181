namespace Berth.Cli.Commands.Stack;

/// <summary>docker's <c>SecretSpec</c>/<c>ConfigSpec</c> as a stack makes one from <c>file:</c>: name, labels, the file's bytes (base64 in JSON).</summary>
public sealed class StackFileObjectSpec
{
    public string Name { get; set; } = "";

    public Dictionary<string, string> Labels { get; set; } = [];

    public byte[] Data { get; set; } = [];
}
