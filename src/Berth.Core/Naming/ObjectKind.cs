namespace Berth.Core.Naming;

/// <summary>The kinds of object a Docker client names by id, name or id prefix; each has its own lookup rules and messages.</summary>
public enum ObjectKind
{
    /// <summary>Full id, then exact name (with or without a leading <c>/</c>), then a unique id prefix.</summary>
    Container,

    /// <summary>Full id, then exact name (more than one network of that name is ambiguous), then a unique id prefix.</summary>
    Network,

    /// <summary>Full id (with or without <c>sha256:</c>), then a reference (<c>name:tag</c>, digest), then a unique hex id prefix.</summary>
    Image,

    /// <summary>Name only.</summary>
    Volume,
}
