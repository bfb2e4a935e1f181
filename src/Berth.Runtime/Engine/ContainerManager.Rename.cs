using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary><c>docker rename</c>.</summary>
public sealed partial class ContainerManager
{
    /// <summary>Gives the container a new name (running or not), with Docker's errors.</summary>
    public async Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default)
    {
        string id = Find(idOrName).Id;
        using (await _locks.LockAsync(id, cancellationToken).ConfigureAwait(false))
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

            // The claim of the new name, its old one's release and the record are one store transaction.
            var renamed = await _records.RenameAsync(record.Id, name, cancellationToken).ConfigureAwait(false);
            PublishTransition(record, renamed);
            if (renamed.Status == ContainerStatus.Running)
            {
                await _networks.SyncDnsAsync(record.Id, name, reopen: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void EnsureNameFree(string name)
    {
        if (_containers.Values.FirstOrDefault(c => c.Name == name) is { } owner)
        {
            throw ContainerRepository.NameInUse(name, owner.Id);
        }
    }
}
