namespace Berth.Fuzzing;

/// <summary>
/// One route berthd serves, as its route pattern (<c>{id}</c>, <c>{**rest}</c> filled in by the fuzzer).
/// <paramref name="ValidBodies"/> false: the route changes the daemon's role (swarm init/join), so only bodies that
/// cannot be valid are sent to it. <paramref name="Slow"/>: the route asks something outside berthd before it answers
/// (doctor's probes; a login asks a registry, and a body without a server address means Docker Hub, which a lab
/// cannot reach: its name lookup times out), so it gets <see cref="SlowAnswerWithin"/> instead of <see cref="ApiFuzzer.AnswerWithin"/>.
/// </summary>
public sealed record FuzzRoute(string Method, string Pattern, FuzzBody Body = FuzzBody.None, bool ValidBodies = true, bool Slow = false)
{
    /// <summary>berth doctor's probes (DNS, ports, MTU) each time out within seconds, and a registry's connection within 15 s; the whole answer within this.</summary>
    public static readonly TimeSpan SlowAnswerWithin = TimeSpan.FromSeconds(30);

    public TimeSpan AnswerWithin => Slow ? SlowAnswerWithin : ApiFuzzer.AnswerWithin;

    public override string ToString() => $"{Method} {Pattern}";
}
