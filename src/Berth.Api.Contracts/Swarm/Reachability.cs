namespace Berth.Api.Contracts;

/// <summary><c>ManagerStatus.Reachability</c> values.</summary>
public static class Reachability
{
    public const string Unknown = "unknown";
    public const string Unreachable = "unreachable";
    public const string Reachable = "reachable";
}
