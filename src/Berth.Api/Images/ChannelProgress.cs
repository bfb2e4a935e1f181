using System.Threading.Channels;

namespace Berth.Api.Images;

/// <summary>
/// Progress reports queued in the order they are made, from any thread (parallel layer downloads), for one writer to
/// stream; <see cref="Progress{T}"/> would post them to the thread pool and lose that order.
/// </summary>
internal sealed class ChannelProgress<T>(ChannelWriter<T> writer) : IProgress<T>
{
    public void Report(T value) => writer.TryWrite(value);
}
