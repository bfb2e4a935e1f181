namespace Berth.Runtime.Containers;

/// <summary>What the container's stdin is (Docker's <c>OpenStdin</c> and <c>StdinOnce</c>).</summary>
public enum StdinMode
{
    /// <summary>No stdin (/dev/null): nothing can be attached to it.</summary>
    None,

    /// <summary><c>OpenStdin</c> with <c>StdinOnce</c>: closed when the first attached client ends its input (conmon <c>-i</c>).</summary>
    UntilFirstClientEnds,

    /// <summary><c>OpenStdin</c> alone: stays open across attaches (conmon <c>-i --leave-stdin-open</c>).</summary>
    KeptOpen,
}
