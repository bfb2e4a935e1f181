using Berth.Linux.Links;

namespace Berth.Linux.IntegrationTests.DataPath;

/// <summary>Copies every frame read from one tap queue into another, header and all, counting GSO super-frames.</summary>
internal sealed class Wire(TapQueue from, TapQueue to)
{
    /// <summary>virtio_net_hdr.gso_type (linux/virtio_net.h): 0 is VIRTIO_NET_HDR_GSO_NONE.</summary>
    private const int GsoTypeOffset = 1;

    private int frames;
    private int superFrames;
    private int largest;

    public int Frames => Volatile.Read(ref frames);

    public int SuperFrames => Volatile.Read(ref superFrames);

    public int Largest => Volatile.Read(ref largest);

    /// <summary>Runs on its own thread until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task Start(CancellationToken cancellationToken) => Task.Factory.StartNew(
        () =>
        {
            byte[] frame = new byte[TapQueue.MaxFrameBytes];
            while (true)
            {
                int length = from.Read(frame, cancellationToken);
                Interlocked.Increment(ref frames);
                if (frame[GsoTypeOffset] != 0)
                {
                    Interlocked.Increment(ref superFrames);
                }

                if (length > largest)
                {
                    Volatile.Write(ref largest, length);
                }

                to.Write(frame.AsSpan(0, length));
            }
        },
        cancellationToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);
}
