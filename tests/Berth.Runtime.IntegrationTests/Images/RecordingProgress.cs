using System.Collections.Concurrent;
using Berth.Runtime.Images;

namespace Berth.Runtime.IntegrationTests.Images;

/// <summary>Records progress synchronously (Progress&lt;T&gt; would post to a context and race the assertions).</summary>
internal sealed class RecordingProgress : IProgress<PullProgress>
{
    public ConcurrentQueue<PullProgress> Events { get; } = new();

    public void Report(PullProgress value) => Events.Enqueue(value);
}
