namespace Berth.Build.Dockerfile;

/// <summary>An instruction's arguments are malformed; the parser adds the instruction's lines and rethrows.</summary>
internal sealed class FormException(string message) : Exception(message);
