namespace Berth.Core.Networks;

/// <summary>
/// Where a network is in its life. The store records the phase before the kernel work of a step
/// begins, so that after a crash berthd knows whether to finish or undo it.
/// </summary>
public enum NetworkPhase
{
    /// <summary>Recorded; kernel objects may be half made. On restart: undo (delete kernel objects and record).</summary>
    Creating,

    /// <summary>Complete. On restart: kernel objects are checked and re-created if missing.</summary>
    Ready,

    /// <summary>Being removed. On restart: finish the removal.</summary>
    Deleting,

    /// <summary>
    /// A swarm-scoped network a user removed while tasks of removed services were still leaving it: gone for users
    /// (lists, names), kept for the endpoints still on it; a manager removes it once none is left, also after a restart.
    /// </summary>
    Draining,
}
