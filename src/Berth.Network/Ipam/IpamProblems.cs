using Berth.Core.Errors;

namespace Berth.Network.Ipam;

/// <summary>
/// Every problem found with one network's IPAM request, gathered so they are reported together in
/// one <see cref="BerthException"/>. Each line names the network and says what to do.
/// </summary>
internal sealed class IpamProblems(string networkName)
{
    private readonly List<(ErrorKind Kind, string Message)> _problems = [];

    public int Count => _problems.Count;

    public void Add(ErrorKind kind, string message) => _problems.Add((kind, $"network \"{networkName}\": {message}"));

    /// <summary>
    /// Throws when anything was found. The kind is the most basic one present: a malformed request
    /// (InvalidArgument, 400) before a collision with other networks (Forbidden, 403) before a missing
    /// pool (NotFound, 404), so a client fixes its request first.
    /// </summary>
    public void ThrowIfAny()
    {
        if (_problems.Count == 0)
        {
            return;
        }

        ErrorKind kind = _problems.Select(p => p.Kind).MinBy(Rank);
        throw new BerthException(kind, string.Join("; ", _problems.Select(p => p.Message)));
    }

    private static int Rank(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => 0,
        ErrorKind.Forbidden => 1,
        ErrorKind.NotFound => 2,
        _ => 3,
    };
}
