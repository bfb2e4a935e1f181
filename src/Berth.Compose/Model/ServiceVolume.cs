namespace Berth.Compose.Model;

/// <summary>One entry of a service's <c>volumes:</c>, short (<c>./data:/data:ro</c>, <c>dbdata:/var/lib/db</c>) or long form.</summary>
/// <param name="Type"><c>bind</c> (source is a path, made absolute against the project directory) or <c>volume</c> (source is a key of the project's volumes, or empty for an anonymous one).</param>
public sealed record ServiceVolume(string Type, string Source, string Target, bool ReadOnly = false);
