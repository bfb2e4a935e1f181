namespace Berth.Api.Contracts;

/// <summary><c>NodeSpec.Availability</c> values (<c>node update --availability</c>).</summary>
public static class NodeAvailability
{
    public const string Active = "active";
    public const string Pause = "pause";
    public const string Drain = "drain";
}
