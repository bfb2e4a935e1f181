namespace Berth.Cli.Client;

/// <summary>Nothing answered at the daemon's address.</summary>
public sealed class DaemonUnavailableException(DaemonHost host, Exception inner)
    : Exception($"Cannot connect to the Berth daemon at {host.Uri}. Is berthd running?", inner);
