namespace Berth.Daemon;

/// <summary><c>--firewall</c>: nftables (Berth's own tables) or none (no rules at all; for hosts whose firewall is managed elsewhere).</summary>
public enum FirewallMode
{
    Nftables,
    None,
}
