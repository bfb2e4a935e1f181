namespace Berth.Diagnostics.Doctor;

/// <summary>Fixes several checks share.</summary>
public static class DoctorFixes
{
    /// <summary>
    /// berthd reconciles at start: it re-creates its nftables tables and each network's rules, a macvlan network's host
    /// shim and a parent it made, and re-adds its accept rules in other tools' forward chains.
    /// </summary>
    public const string RestartBerthd = "./run.sh stop && ./run.sh start";
}
