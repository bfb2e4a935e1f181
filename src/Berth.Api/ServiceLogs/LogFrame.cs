namespace Berth.Api.ServiceLogs;

/// <summary>
/// One frame of Docker's multiplexed stream (<see cref="Http.DockerStreamFraming"/>): the stream byte and one log
/// line, timestamp and details in front as asked. Frames from several tasks are merged whole, never split.
/// </summary>
internal readonly record struct LogFrame(byte Stream, byte[] Payload);
