using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary><c>docker rename</c>.</summary>
public sealed partial class ContainerManager
{
    /// <summary>Gives the container a new name (running or not), with Docker's errors.</summary>
    public async Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default)
    {
        string id = Find(idOrName).Id;
        using var held = await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false);
        await _catalog.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var record = Find(id);
            string name = (newName ?? "").TrimStart('/');
            if (name.Length == 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "Neither old nor new names may be empty");
            }

            if (name == record.Name)
            {
                throw new BerthException(ErrorKind.InvalidArgument, "Renaming a container with the same name as its current name");
            }

            EnsureNameFree(ValidateName(name));
            await SaveAsync(record with { Name = name }, cancellationToken).ConfigureAwait(false);
            if (record.Status == ContainerStatus.Running)
            {
                await _networks.SyncDnsAsync(record.Id, name, reopen: false, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _catalog.Release();
        }
    }

    private void EnsureNameFree(string name)
    {
        if (_containers.Values.FirstOrDefault(c => c.Name == name) is { } owner)
        {
            throw new BerthException(ErrorKind.Conflict,
                $"Conflict. The container name \"/{name}\" is already in use by container \"{owner.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }
}
