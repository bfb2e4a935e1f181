namespace Berth.Linux.Probes;

/// <summary>One echo: how it ended, its round trip when answered, and the next-hop MTU a router reported.</summary>
public sealed record IcmpEchoResult(IcmpEchoOutcome Outcome, TimeSpan? RoundTrip = null, int? NextHopMtu = null)
{
    public bool Answered => Outcome == IcmpEchoOutcome.Reply;

    public override string ToString() => Outcome switch
    {
        IcmpEchoOutcome.Reply => $"answered in {RoundTrip?.TotalMilliseconds:0.0} ms",
        IcmpEchoOutcome.Timeout => "no answer",
        IcmpEchoOutcome.TooBigToSend => "too big for the sending interface's MTU (not sent)",
        IcmpEchoOutcome.FragmentationNeeded => $"fragmentation needed on the way (next-hop MTU {NextHopMtu})",
        _ => "destination unreachable",
    };
}
