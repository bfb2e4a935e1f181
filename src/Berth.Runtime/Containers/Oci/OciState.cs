namespace Berth.Runtime.Containers.Oci;

/// <summary>What <c>runc state ID</c> prints (runtime-spec state, plus runc's extras we ignore).</summary>
public sealed record OciState(string Id, string Status, int Pid, string Bundle);
