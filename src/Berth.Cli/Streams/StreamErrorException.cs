namespace Berth.Cli.Streams;

/// <summary>
/// The daemon ended a stream with an error: an error frame (stream 3) in a container stream, a frame docker's CLI would refuse,
/// or an <c>error</c> line in a streamed JSON reply (a pull that failed half-way). Printed as it is, as docker prints it.
/// </summary>
public sealed class StreamErrorException(string message) : Exception(message);
