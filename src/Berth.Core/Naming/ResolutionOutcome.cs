namespace Berth.Core.Naming;

/// <summary>How a lookup by id, name or prefix ended.</summary>
public enum ResolutionOutcome
{
    Found,
    NotFound,

    /// <summary>More than one object carries the name (networks only: Docker allows duplicate network names).</summary>
    AmbiguousName,

    /// <summary>More than one id starts with the term.</summary>
    AmbiguousPrefix,

    /// <summary>The term is empty.</summary>
    Invalid,
}
