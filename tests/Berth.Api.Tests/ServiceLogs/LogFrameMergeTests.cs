using System.Runtime.CompilerServices;
using Berth.Api.Http;
using Berth.Api.ServiceLogs;
using Berth.Core.Errors;

namespace Berth.Api.Tests.ServiceLogs;

/// <summary>Several tasks' streams as one: whole frames, each task's in its order, nothing lost.</summary>
public sealed class LogFrameMergeTests
{
    [Fact]
    public async Task Frames_of_several_sources_arrive_whole_and_in_each_sources_order()
    {
        var sources = Enumerable.Range(0, 4).Select(source => Frames(source, count: 50, pauseEvery: source + 2)).ToList();
        using var output = new MemoryStream();

        await LogFrameMerge.MergeAsync(sources, (frame, token) => DockerStreamFraming.WriteAsync(output, frame.Stream, frame.Payload, tty: false, token));

        output.Position = 0;
        var frames = new List<LogFrame>();
        await foreach (var frame in LogFrameReader.ReadAsync(output))
        {
            frames.Add(frame);
        }

        Assert.Equal(200, frames.Count);
        for (int source = 0; source < 4; source++)
        {
            var lines = frames.Where(frame => frame.Stream == Stream(source)).Select(frame => System.Text.Encoding.ASCII.GetString(frame.Payload))
                .Where(line => line.StartsWith($"source {source} ", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 50).Select(line => $"source {source} line {line} {new string('x', line * 37)}\n"), lines);
        }
    }

    [Fact]
    public async Task A_failing_source_ends_the_merge_with_its_error_even_while_others_follow()
    {
        var sources = new List<IAsyncEnumerable<LogFrame>> { Endless(), Failing() };

        var error = await Assert.ThrowsAsync<BerthException>(() => LogFrameMerge.MergeAsync(sources, (_, _) => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task The_client_leaving_ends_the_merge()
    {
        using var leaving = new CancellationTokenSource();
        int written = 0;
        var merging = LogFrameMerge.MergeAsync([Endless(), Endless()], (_, _) =>
        {
            if (Interlocked.Increment(ref written) == 10)
            {
                leaving.Cancel();
            }

            return Task.CompletedTask;
        }, leaving.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => merging.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(written >= 10);
    }

    private static byte Stream(int source) => source % 2 == 0 ? DockerStreamFraming.Stdout : DockerStreamFraming.Stderr;

    private static async IAsyncEnumerable<LogFrame> Frames(int source, int count, int pauseEvery, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int line = 0; line < count; line++)
        {
            if (line % pauseEvery == 0)
            {
                await Task.Delay(1, cancellationToken);
            }

            yield return new LogFrame(Stream(source), System.Text.Encoding.ASCII.GetBytes($"source {source} line {line} {new string('x', line * 37)}\n"));
        }
    }

    private static async IAsyncEnumerable<LogFrame> Endless([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await Task.Delay(5, cancellationToken);
            yield return new LogFrame(DockerStreamFraming.Stdout, "tick\n"u8.ToArray());
        }
    }

    private static async IAsyncEnumerable<LogFrame> Failing()
    {
        await Task.Delay(20);
        yield return new LogFrame(DockerStreamFraming.Stdout, "last\n"u8.ToArray());
        throw new BerthException(ErrorKind.Unavailable, "node gone");
    }
}
