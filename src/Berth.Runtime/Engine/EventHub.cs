using System.Collections.Immutable;
using System.Threading.Channels;

namespace Berth.Runtime.Engine;

/// <summary>
/// The daemon's event stream (moby <c>daemon/events</c>): the container and network managers publish what
/// happens, <c>GET /events</c> subscribes. The last <see cref="HistoryLimit"/> events are remembered for
/// <c>since</c>. Publishing never waits for a reader: each subscriber has a bounded queue, and one that falls
/// <see cref="SubscriberBacklog"/> events behind loses the oldest of them.
/// </summary>
public sealed class EventHub
{
    /// <summary>moby keeps the same number (<c>eventsLimit</c> in daemon/events/events.go).</summary>
    public const int HistoryLimit = 256;

    public const int SubscriberBacklog = 1024;

    private readonly Lock _lock = new();
    private readonly Queue<EngineEvent> _history = new();
    private readonly List<EventSubscription> _subscribers = [];
    private readonly TimeProvider _time;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public EventHub(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Publishes one event, stamped now (never earlier than the one before it, so the stream stays ordered).</summary>
    public EngineEvent Publish(string type, string action, string actorId, IEnumerable<KeyValuePair<string, string>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var sorted = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, attributes);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _last = now > _last ? now : _last;
            var published = new EngineEvent(type, action, actorId, sorted, _last);
            _history.Enqueue(published);
            if (_history.Count > HistoryLimit)
            {
                _history.Dequeue();
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryWrite(published);
            }

            return published;
        }
    }

    /// <summary>The remembered events and, from the same instant on, every new one.</summary>
    public EventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock)
        {
            var subscription = new EventSubscription([.. _history], channel, Unsubscribe);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }

        subscription.Channel.Writer.TryComplete();
    }
}
