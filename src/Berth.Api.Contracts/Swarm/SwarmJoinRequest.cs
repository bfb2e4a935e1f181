namespace Berth.Api.Contracts;

/// <summary><c>POST /swarm/join</c>: 200 with no body; the token decides whether the node joins as a worker or a manager.</summary>
public sealed class SwarmJoinRequest
{
    public string ListenAddr { get; set; } = "";

    public string AdvertiseAddr { get; set; } = "";

    public string DataPathAddr { get; set; } = "";

    /// <summary>Managers to reach, <c>HOST:PORT</c>.</summary>
    public List<string>? RemoteAddrs { get; set; }

    /// <summary><c>SWMTKN-1-&lt;CA digest&gt;-&lt;secret&gt;</c>.</summary>
    public string JoinToken { get; set; } = "";

    public string Availability { get; set; } = "";
}
