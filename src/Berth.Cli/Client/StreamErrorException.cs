namespace Berth.Cli.Client;

/// <summary>An <c>error</c> line in a streamed reply (a pull that failed half-way): printed as it is, as docker prints it.</summary>
public sealed class StreamErrorException(string message) : Exception(message);
