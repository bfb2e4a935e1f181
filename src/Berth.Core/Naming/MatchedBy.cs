namespace Berth.Core.Naming;

/// <summary>Which rule found the object.</summary>
public enum MatchedBy
{
    None,
    FullId,
    Name,
    IdPrefix,
}
