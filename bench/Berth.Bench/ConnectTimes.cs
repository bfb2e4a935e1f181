namespace Berth.Bench;

/// <summary>TCP handshake times to one address in ms (failures left out), and how many connects failed.</summary>
internal sealed record ConnectTimes(List<double> Ms, int Failed);
