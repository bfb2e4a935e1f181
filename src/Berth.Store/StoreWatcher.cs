using System.Threading.Channels;

namespace Berth.Store;

/// <summary>One watch's buffer: events under <see cref="Prefix"/> after <see cref="AfterRevision"/>.</summary>
internal sealed class StoreWatcher
{
    public StoreWatcher(string prefix, long afterRevision, int capacity)
    {
        Prefix = prefix;
        AfterRevision = afterRevision;
        Channel = System.Threading.Channels.Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Prefix { get; }

    public long AfterRevision { get; }

    public Channel<StoreEvent> Channel { get; }

    public bool Wants(StoreEvent storeEvent) =>
        storeEvent.Revision > AfterRevision && storeEvent.Key.StartsWith(Prefix, StringComparison.Ordinal);
}
