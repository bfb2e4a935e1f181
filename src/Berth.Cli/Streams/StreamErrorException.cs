namespace Berth.Cli.Streams;

/// <summary>The daemon ended a container stream with an error frame (stream 3), or sent one docker's CLI would refuse.</summary>
public sealed class StreamErrorException(string message) : Exception(message);
