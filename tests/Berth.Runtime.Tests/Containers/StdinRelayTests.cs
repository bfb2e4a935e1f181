using System.IO.Pipelines;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>What a client sends before the container runs is kept and delivered first, in order; its end closes stdin.</summary>
public sealed class StdinRelayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InputAndEndBeforeTheContainerRunsAreDeliveredWhenItDoes()
    {
        var client = new Pipe();
        var container = new TaskCompletionSource<IContainerStdin?>();
        var relay = StdinRelay.RunAsync(client.Reader.AsStream(), container.Task);

        await client.Writer.WriteAsync("hello\n"u8.ToArray());
        await client.Writer.WriteAsync("world\n"u8.ToArray());
        await client.Writer.CompleteAsync();
        await Task.Delay(50);
        Assert.False(relay.IsCompleted);

        var stdin = new RecordingStdin();
        container.SetResult(stdin);
        Assert.Equal(12, await relay.WaitAsync(Deadline));
        Assert.Equal("hello\nworld\n"u8.ToArray(), stdin.Received.ToArray());
        Assert.True(stdin.Closed);
        Assert.True(stdin.Disposed);
    }

    [Fact]
    public async Task InputAfterTheContainerRunsFollowsWhatWasKept()
    {
        var client = new Pipe();
        var container = new TaskCompletionSource<IContainerStdin?>();
        var relay = StdinRelay.RunAsync(client.Reader.AsStream(), container.Task);
        await client.Writer.WriteAsync("early "u8.ToArray());
        await Task.Delay(20);

        var stdin = new RecordingStdin();
        container.SetResult(stdin);
        Assert.True(SpinWait.SpinUntil(() => stdin.Received.Length == 6, Deadline));
        Assert.False(stdin.Closed);
        await client.Writer.WriteAsync("late"u8.ToArray());
        await client.Writer.CompleteAsync();
        await relay.WaitAsync(Deadline);
        Assert.Equal("early late"u8.ToArray(), stdin.Received.ToArray());
        Assert.True(stdin.Closed);
    }

    [Fact]
    public async Task InputBeyondTheBoundWaitsInTheConnection()
    {
        var client = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var container = new TaskCompletionSource<IContainerStdin?>();
        var relay = StdinRelay.RunAsync(client.Reader.AsStream(), container.Task);
        byte[] data = new byte[StdinRelay.MaxBufferedBytes + 100_000];
        Random.Shared.NextBytes(data);
        await client.Writer.WriteAsync(data);
        await client.Writer.CompleteAsync();
        await Task.Delay(100);

        var stdin = new RecordingStdin();
        container.SetResult(stdin);
        Assert.Equal(data.Length, await relay.WaitAsync(Deadline));
        Assert.Equal(data, stdin.Received.ToArray());
    }

    [Fact]
    public async Task AContainerThatNeverRunsTakesNothing()
    {
        var client = new Pipe();
        await client.Writer.WriteAsync("lost"u8.ToArray());
        Assert.Equal(0, await StdinRelay.RunAsync(client.Reader.AsStream(), Task.FromResult<IContainerStdin?>(null)).WaitAsync(Deadline));
    }

    [Fact]
    public async Task CancellingWhileTheClientIsQuietDisposesTheStdin()
    {
        var client = new Pipe();
        var stdin = new RecordingStdin();
        using var stop = new CancellationTokenSource();
        var relay = StdinRelay.RunAsync(client.Reader.AsStream(), Task.FromResult<IContainerStdin?>(stdin), stop.Token);
        await Task.Delay(20);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.WaitAsync(Deadline));
        Assert.False(stdin.Closed);
        Assert.True(stdin.Disposed);
    }

    private sealed class RecordingStdin : IContainerStdin
    {
        private readonly MemoryStream _received = new();

        public MemoryStream Received
        {
            get
            {
                lock (_received)
                {
                    return new MemoryStream(_received.ToArray());
                }
            }
        }

        public bool Closed { get; private set; }

        public bool Disposed { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            lock (_received)
            {
                _received.Write(data.Span);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask CloseAsync(CancellationToken cancellationToken = default)
        {
            Closed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
