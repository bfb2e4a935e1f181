namespace Berth.Bench;

/// <summary>One line of `docker node ls --format {{.ID}}|{{.Status}}|{{.ManagerStatus}}`.</summary>
internal sealed record SwarmNodeLine(string Id, string Status, string ManagerStatus);
