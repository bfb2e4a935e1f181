namespace Berth.Runtime.Engine;

/// <summary>Docker's health states: <c>starting</c> until the first success (or enough failures), then <c>healthy</c> or <c>unhealthy</c>.</summary>
public enum HealthStatus
{
    Starting,
    Healthy,
    Unhealthy,
}
