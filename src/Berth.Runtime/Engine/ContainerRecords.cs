using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Naming;
using Berth.Runtime.Engine.Naming;

namespace Berth.Runtime.Engine;

/// <summary>
/// The container records as the engine's services use them: the store-backed <see cref="ContainerRepository"/> (its
/// cache read without locks), what a client typed resolved to one record, names checked and generated, and every
/// write published as its events. Only the holder of a container's lock (<see cref="ContainerSlots"/>) writes that
/// container's record, so the events published from "before → after" are exact.
/// </summary>
public sealed class ContainerRecords(ContainerRepository repository, ContainerEvents events) : IAsyncDisposable
{
    /// <summary>The cached records by id (a snapshot).</summary>
    public ImmutableDictionary<ContainerId, ContainerRecord> All => repository.Records;

    /// <summary>Docker's lookup: full id, then name, then a unique id prefix (an ambiguous one is a 400); NotFound otherwise.</summary>
    public ContainerRecord Find(string idOrName)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        return ObjectResolver.ResolveContainer(idOrName.TrimStart('/'), All.Values, c => c.Id, c => c.Name).GetOrThrow(idOrName);
    }

    /// <summary>The record as cached now; NotFound once it is removed.</summary>
    public ContainerRecord Get(ContainerId id) =>
        All.GetValueOrDefault(id) ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {id}");

    public ContainerRecord? TryGet(ContainerId id) => All.GetValueOrDefault(id);

    /// <summary>Lists the records into the cache and watches the store (berthd's start); returns them.</summary>
    public Task<IReadOnlyList<ContainerRecord>> LoadAsync(CancellationToken cancellationToken = default) => repository.LoadAsync(cancellationToken);

    /// <summary>Writes a new record with its name claim (a name in use is Docker's 409) and publishes <c>create</c>.</summary>
    public async Task<ContainerRecord> CreateAsync(ContainerRecord record, CancellationToken cancellationToken = default)
    {
        var created = await repository.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        events.Transition(null, created);
        return created;
    }

    /// <summary>
    /// Writes a change of the record (compare-and-swap; on a conflict the change is applied again to the stored
    /// record) and publishes the transition. Only the holder of the container's lock saves it.
    /// </summary>
    public async Task<ContainerRecord> SaveAsync(ContainerId id, Func<ContainerRecord, ContainerRecord> change, CancellationToken cancellationToken = default)
    {
        var before = All.GetValueOrDefault(id);
        var after = await repository.UpdateAsync(id, change, cancellationToken).ConfigureAwait(false);
        if (before is not null)
        {
            events.Transition(before, after);
        }

        return after;
    }

    /// <summary>Moves the name claim and writes the record in one transaction; publishes <c>rename</c>.</summary>
    public async Task<ContainerRecord> RenameAsync(ContainerRecord record, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var renamed = await repository.RenameAsync(record.Id, name, cancellationToken).ConfigureAwait(false);
        events.Transition(record, renamed);
        return renamed;
    }

    /// <summary>Deletes the record and its name claim.</summary>
    public Task<bool> RemoveAsync(ContainerId id, CancellationToken cancellationToken = default) => repository.RemoveAsync(id, cancellationToken);

    /// <summary>A 409 naming the holder when a cached record has the name (the store's claim decides at the write).</summary>
    public void EnsureNameFree(string name)
    {
        if (All.Values.FirstOrDefault(c => c.Name == name) is { } owner)
        {
            throw ContainerRepository.NameInUse(name, owner.Id.Value);
        }
    }

    /// <summary>A generated name no cached record has (a number appended after collisions; it always ends).</summary>
    public string GenerateName() => ContainerNameGenerator.Generate(name => All.Values.Any(c => c.Name == name));

    /// <summary>Docker's rule for a container name; a 400 naming it otherwise.</summary>
    public static string ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        return name;
    }

    public ValueTask DisposeAsync() => repository.DisposeAsync();
}
