namespace Berth.Bench;

/// <summary>One bulk transfer into a <see cref="TcpSink"/>: Gb/s, and the CPU time this process spent per GB (ms).</summary>
internal sealed record TcpSinkRound(double Gbps, double CpuMsPerGb);
