namespace Berth.Linux.Cgroups;

/// <summary>One device's counter of one operation kind (Docker's <c>BlkioStatEntry</c>: v1 ops <c>Read</c>, <c>Write</c>, …; v2 <c>read</c>, <c>write</c>).</summary>
public readonly record struct BlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);
