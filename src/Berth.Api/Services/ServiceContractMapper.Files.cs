using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary><c>ContainerSpec.Secrets</c> and <c>Configs</c> ↔ <see cref="TaskFileReference"/>s (a file target each).</summary>
internal static partial class ServiceContractMapper
{
    private static ImmutableArray<TaskFileReference> ReadSecrets(List<SecretReferenceContract>? references, SpecProblems problems) =>
        [.. (references ?? []).OfType<SecretReferenceContract>()
            .Select((reference, index) => ReadFileReference("Secrets", index, reference.SecretID, reference.SecretName, reference.File, runtime: false, problems))];

    private static ImmutableArray<TaskFileReference> ReadConfigs(List<ConfigReferenceContract>? references, SpecProblems problems) =>
        [.. (references ?? []).OfType<ConfigReferenceContract>()
            .Select((reference, index) => ReadFileReference("Configs", index, reference.ConfigID, reference.ConfigName, reference.File, reference.Runtime is not null, problems))];

    private static TaskFileReference ReadFileReference(string list, int index, string? id, string? name, FileTargetContract? file, bool runtime, SpecProblems problems)
    {
        string path = $"{ContainerPath}.{list}[{index}]";
        if (file is null)
        {
            problems.Add(runtime
                ? $"{path}: a Runtime target (a Windows credential spec) is not supported on Linux; give a File target"
                : $"{path}: malformed reference, no target provided");
        }

        return new TaskFileReference(id ?? "", name ?? "", new TaskFileTarget(file?.Name ?? "")
        {
            Uid = string.IsNullOrEmpty(file?.UID) ? "0" : file.UID,
            Gid = string.IsNullOrEmpty(file?.GID) ? "0" : file.GID,
            Mode = file?.Mode ?? 0,
        });
    }

    private static List<SecretReferenceContract>? WriteSecrets(ImmutableArray<TaskFileReference> references) =>
        references.IsDefaultOrEmpty ? null : [.. references.Select(r => new SecretReferenceContract { File = WriteFile(r.File), SecretID = r.Id, SecretName = r.Name })];

    private static List<ConfigReferenceContract>? WriteConfigs(ImmutableArray<TaskFileReference> references) =>
        references.IsDefaultOrEmpty ? null : [.. references.Select(r => new ConfigReferenceContract { File = WriteFile(r.File), ConfigID = r.Id, ConfigName = r.Name })];

    private static FileTargetContract WriteFile(TaskFileTarget file) => new() { Name = file.Name, UID = file.Uid, GID = file.Gid, Mode = file.Mode };
}
