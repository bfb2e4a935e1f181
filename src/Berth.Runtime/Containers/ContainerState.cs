namespace Berth.Runtime.Containers;

/// <summary>The runtime's view of a container, from <c>runc state</c>. <see cref="Pid"/> is 0 once stopped.</summary>
public sealed record ContainerState(string Id, ContainerStatus Status, int Pid, string Bundle);
