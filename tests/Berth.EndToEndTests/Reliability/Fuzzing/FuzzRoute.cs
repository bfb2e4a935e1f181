namespace Berth.Fuzzing;

/// <summary>
/// One route berthd serves, as its route pattern (<c>{id}</c>, <c>{**rest}</c> filled in by the fuzzer).
/// <paramref name="ValidBodies"/> false: the route changes the daemon's role (swarm init/join), so only bodies that
/// cannot be valid are sent to it.
/// </summary>
public sealed record FuzzRoute(string Method, string Pattern, FuzzBody Body = FuzzBody.None, bool ValidBodies = true)
{
    public override string ToString() => $"{Method} {Pattern}";
}
