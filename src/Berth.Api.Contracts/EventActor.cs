namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>The object an event is about: its id and attributes (a container's labels, image and name, …).</summary>
public sealed class EventActor
{
    public string ID { get; set; } = "";

    public Dictionary<string, string> Attributes { get; set; } = [];
}
