using Berth.Runtime.Engine;

namespace Berth.Runtime.Tests.Engine;

/// <summary>The daemon's event stream: history for <c>since</c>, live delivery in order, a clock that never runs back.</summary>
public sealed class EventHubTests
{
    private static readonly KeyValuePair<string, string>[] NoAttributes = [];

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_subscriber_gets_what_was_remembered_then_every_new_event_in_order()
    {
        var hub = new EventHub();
        hub.Publish("container", "create", "c1", [new("name", "one"), new("b", "2"), new("a", "1")]);
        using var subscription = hub.Subscribe();
        hub.Publish("container", "start", "c1", NoAttributes);
        hub.Publish("network", "destroy", "n1", NoAttributes);

        var remembered = Assert.Single(subscription.History);
        Assert.Equal(("container", "create", "c1"), (remembered.Type, remembered.Action, remembered.ActorId));
        Assert.Equal(["a", "b", "name"], remembered.Attributes.Keys);
        Assert.True(subscription.Live.TryRead(out var first) && first.Action == "start");
        Assert.True(subscription.Live.TryRead(out var second) && second.Action == "destroy" && second.Type == "network");
        Assert.False(subscription.Live.TryRead(out _));
    }

    [Fact]
    public void History_keeps_the_last_256_and_times_never_go_back()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
        var hub = new EventHub(clock);
        for (int i = 0; i < EventHub.HistoryLimit + 10; i++)
        {
            // The wall clock steps back now and then (NTP): events keep their order in time anyway.
            clock.Now += TimeSpan.FromMilliseconds(i % 3 == 0 ? -5 : 7);
            hub.Publish("container", "start", "c" + i, NoAttributes);
        }

        using var subscription = hub.Subscribe();
        Assert.Equal(EventHub.HistoryLimit, subscription.History.Length);
        Assert.Equal("c10", subscription.History[0].ActorId);
        Assert.True(subscription.History.Zip(subscription.History.Skip(1)).All(p => p.First.Time <= p.Second.Time));
    }

    [Fact]
    public async Task A_disposed_subscription_ends_and_receives_nothing_more()
    {
        var hub = new EventHub();
        var subscription = hub.Subscribe();
        subscription.Dispose();
        hub.Publish("container", "die", "c1", NoAttributes);
        Assert.False(await subscription.Live.WaitToReadAsync());
    }

    [Fact]
    public void A_reader_that_falls_behind_loses_the_oldest_not_the_newest()
    {
        var hub = new EventHub();
        using var subscription = hub.Subscribe();
        for (int i = 0; i < EventHub.SubscriberBacklog + 5; i++)
        {
            hub.Publish("container", "start", "c" + i, NoAttributes);
        }

        Assert.True(subscription.Live.TryRead(out var oldest));
        Assert.Equal("c5", oldest.ActorId);
    }
}
