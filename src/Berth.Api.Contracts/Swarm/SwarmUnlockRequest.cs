namespace Berth.Api.Contracts;

/// <summary><c>POST /swarm/unlock</c> (an autolocked manager after a restart).</summary>
public sealed class SwarmUnlockRequest
{
    public string UnlockKey { get; set; } = "";
}
