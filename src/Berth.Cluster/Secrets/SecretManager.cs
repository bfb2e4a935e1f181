using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Secrets;

/// <summary>
/// <see cref="ISecrets"/> over the cluster store, on a manager: records written by compare-and-swap (the version is
/// the record's mod revision), names claimed in the create's transaction, a secret's data sealed with
/// <see cref="SecretSeal"/> (opened only here, on a manager). Removal and the services' references meet at the
/// secret's fence key (README). Partials: this one reads; <c>.Write</c> creates, updates and removes.
/// </summary>
public sealed partial class SecretManager : ISecrets, ITaskFileProvider
{
    /// <summary>swarmkit <c>isValidConfigOrSecretName</c>, at most 64 characters.</summary>
    public const int MaxNameLength = 64;

    private readonly IStateStore _store;
    private readonly Func<SecretSeal> _seal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="seal">Made when first needed: a manager whose secret is missing fails then, naming the file.</param>
    public SecretManager(IStateStore store, Func<SecretSeal> seal, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(seal);
        _store = store;
        _seal = seal;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyList<SecretView>> ListAsync(SecretKind kind, CancellationToken cancellationToken = default) =>
        [.. (await EntriesAsync(kind, cancellationToken).ConfigureAwait(false)).OrderBy(e => e.Record.Name, StringComparer.Ordinal).Select(View)];

    public async Task<SecretView> GetAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken = default) =>
        View(await ResolveAsync(kind, idOrName, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<TaskFileData>> TaskFilesAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default)
    {
        var record = await OwnTaskAsync(requester, task, cancellationToken).ConfigureAwait(false);

        var files = new List<TaskFileData>();
        var container = record.Spec.Container;
        foreach (var (kind, references) in new[] { (SecretKind.Secret, container.Secrets), (SecretKind.Config, container.Configs) })
        {
            foreach (var reference in references)
            {
                SecretEntry found = SecretId.TryParse(reference.Id, out SecretId id) && await ExactByIdAsync(kind, id, cancellationToken).ConfigureAwait(false) is { } byId
                    ? byId
                    : throw new BerthException(ErrorKind.NotFound, $"{kind.Name()} {reference.Name} ({reference.Id}) of task {task.Value} not found: was it removed while the service used it?");
                files.Add(new TaskFileData(kind, reference.Id, reference.Name, Plain(found.Record)));
            }
        }

        SecretsLog.Handed(_logger, task.Value, files.Count, requester.Value);
        return files;
    }

    public async Task<string?> TaskRegistryAuthAsync(NodeId requester, TaskId task, CancellationToken cancellationToken = default)
    {
        var record = await OwnTaskAsync(requester, task, cancellationToken).ConfigureAwait(false);
        return record.Spec.Container.SealedRegistryAuth is { } sealedAuth ? _seal().OpenRegistryAuth(record.ServiceId, sealedAuth) : null;
    }

    /// <summary>The task's record if it is <paramref name="requester"/>'s; Forbidden for another node's (logged), NotFound for none.</summary>
    private async Task<Services.TaskRecord> OwnTaskAsync(NodeId requester, TaskId task, CancellationToken cancellationToken)
    {
        var entry = await _store.GetAsync(ClusterKeys.Task(task), cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.NotFound, $"task {task.Value} not found");
        var record = Services.ServiceRecords.Task(entry.Value);
        if (record.Node != requester)
        {
            SecretsLog.Refused(_logger, task.Value, requester.Value);
            throw new BerthException(ErrorKind.Forbidden, $"task {task.Value} is not assigned to node {requester.Value}: a node gets only its own tasks' secrets");
        }

        return record;
    }

    /// <summary>A record's bytes in clear: a config's as stored, a secret's opened.</summary>
    private byte[] Plain(SecretRecord record) =>
        record.Kind == SecretKind.Secret ? _seal().Open(record.Kind, record.Id, record.Data) : Convert.FromBase64String(record.Data);

    private static SecretView View(SecretEntry entry) =>
        new(entry.Record, entry.Version, entry.Record.Kind == SecretKind.Config ? Convert.FromBase64String(entry.Record.Data) : null);

    private async Task<List<SecretEntry>> EntriesAsync(SecretKind kind, CancellationToken cancellationToken) =>
        [.. (await _store.ListAsync(kind.RecordPrefix(), cancellationToken).ConfigureAwait(false)).Select(e => new SecretEntry(Read(e.Value), e.ModRevision))];

    private async Task<SecretEntry?> ExactByIdAsync(SecretKind kind, SecretId id, CancellationToken cancellationToken) =>
        await _store.GetAsync(kind.Record(id), cancellationToken).ConfigureAwait(false) is { } entry ? new SecretEntry(Read(entry.Value), entry.ModRevision) : null;

    /// <summary>moby's <c>getSecret</c>: full id, then exact name, then a unique id prefix.</summary>
    private async Task<SecretEntry> ResolveAsync(SecretKind kind, string idOrName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        if (SecretId.TryParse(idOrName, out SecretId id) && await ExactByIdAsync(kind, id, cancellationToken).ConfigureAwait(false) is { } byId)
        {
            return byId;
        }

        if (idOrName.Length > 0 && await _store.GetAsync(kind.NameKey(idOrName), cancellationToken).ConfigureAwait(false) is { } name
            && SecretId.TryParse(Encoding.UTF8.GetString(name.Value.Span), out SecretId owner)
            && await ExactByIdAsync(kind, owner, cancellationToken).ConfigureAwait(false) is { } byName)
        {
            return byName;
        }

        var prefixed = idOrName.Length == 0 ? [] : (await EntriesAsync(kind, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Record.Id.Value.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        return prefixed.Count switch
        {
            1 => prefixed[0],
            0 => throw SecretErrors.NotFound(kind, idOrName),
            _ => throw SecretErrors.Ambiguous(kind, idOrName, prefixed.Count),
        };
    }

    internal static SecretRecord Read(ReadOnlyMemory<byte> value) => SwarmRecords.Read(value, SecretsJsonContext.Default.SecretRecord, "secret");

    internal static byte[] Bytes(SecretRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, SecretsJsonContext.Default.SecretRecord);

    /// <summary>swarmkit <c>validateConfigOrSecretAnnotations</c> and the payload's size.</summary>
    internal static void Validate(SecretKind kind, SecretSpec spec)
    {
        if (string.IsNullOrEmpty(spec.Name))
        {
            throw SecretErrors.Invalid("name must be provided");
        }

        if (spec.Name.Length > MaxNameLength || !NamePattern().IsMatch(spec.Name))
        {
            throw SecretErrors.Invalid("invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]");
        }

        int length = spec.Data?.Length ?? 0;
        if (length >= kind.MaxBytes() || length < 1)
        {
            throw SecretErrors.Invalid($"{kind.Name()} data must be larger than 0 and less than {kind.MaxBytes()} bytes");
        }
    }

    private static bool SameData(byte[] given, byte[] stored) => CryptographicOperations.FixedTimeEquals(given, stored);

    private static ImmutableSortedDictionary<string, string> Labels(SecretSpec spec) => spec.Labels.WithComparers(StringComparer.Ordinal);

    [GeneratedRegex("^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$")]
    private static partial Regex NamePattern();
}

/// <summary>A secret's or config's record with its version (its store mod revision).</summary>
internal sealed record SecretEntry(SecretRecord Record, long Version);
