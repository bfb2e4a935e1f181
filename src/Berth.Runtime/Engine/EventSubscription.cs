using System.Collections.Immutable;
using System.Threading.Channels;

namespace Berth.Runtime.Engine;

/// <summary>
/// A reader of the <see cref="EventHub"/>: the events still remembered when it subscribed, then every later one
/// in order. Dispose to stop receiving.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Action<EventSubscription> _unsubscribe;

    internal EventSubscription(ImmutableArray<EngineEvent> history, Channel<EngineEvent> channel, Action<EventSubscription> unsubscribe)
    {
        History = history;
        Channel = channel;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The remembered events, oldest first, all published before any event of <see cref="Live"/>.</summary>
    public ImmutableArray<EngineEvent> History { get; }

    public ChannelReader<EngineEvent> Live => Channel.Reader;

    internal Channel<EngineEvent> Channel { get; }

    public void Dispose() => _unsubscribe(this);
}
