namespace Berth.Runtime.Containers.Oci;

/// <summary>runtime-spec syscall argument condition; for <c>SCMP_CMP_MASKED_EQ</c>, <c>(arg &amp; Value) == ValueTwo</c>.</summary>
public sealed record OciSyscallArg(uint Index, ulong Value, ulong ValueTwo, string Op);
