using System.Collections.Immutable;

namespace Berth.Store;

/// <summary>
/// The outcome of planning one write: which branch ran, the store revision after it, and the changes
/// to apply (all at <see cref="Revision"/>). No changes means nothing is written and the revision stays.
/// </summary>
internal sealed record StoreChangeSet(bool Succeeded, long Revision, ImmutableArray<StoreEvent> Events);
