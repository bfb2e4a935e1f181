using System.Net;

namespace Berth.Bench;

/// <summary>What <see cref="NameProbe"/> saw: the address a name resolved to, and when (ms from the start) it resolved and answered.</summary>
internal sealed record NameAnswer(IPAddress Address, double ResolvedMs, double AnsweredMs);
