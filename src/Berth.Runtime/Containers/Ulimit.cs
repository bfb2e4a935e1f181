namespace Berth.Runtime.Containers;

/// <summary>Docker's <c>Ulimit</c> (<c>--ulimit nofile=1024:2048</c>): a resource name as setrlimit(2) knows it, lower case without <c>RLIMIT_</c>, and its soft and hard limits.</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);
