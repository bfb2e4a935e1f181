namespace Berth.Runtime.Engine;

/// <summary>
/// A <c>--link</c> of a container on the default bridge (Docker's legacy links): the linked container by id, so the
/// link survives its rename, and the alias the linking container knows it by in its /etc/hosts.
/// </summary>
public sealed record LegacyLink(Berth.Core.Containers.ContainerId ChildId, string Alias);
