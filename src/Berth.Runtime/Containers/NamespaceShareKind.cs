namespace Berth.Runtime.Containers;

/// <summary>See <see cref="NamespaceShare"/>.</summary>
public enum NamespaceShareKind
{
    Private,
    Host,
    None,
    Join,
}
