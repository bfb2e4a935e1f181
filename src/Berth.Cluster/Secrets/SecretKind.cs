using Berth.Cluster.Identity;

namespace Berth.Cluster.Secrets;

/// <summary>
/// Docker's two kinds of named data for tasks: a secret (sealed at rest, never shown back) and a config (kept and
/// shown in clear). Everything else about them is the same, so one code path serves both.
/// </summary>
public enum SecretKind
{
    Secret,
    Config,
}

public static class SecretKinds
{
    /// <summary>swarmkit <c>validation.MaxSecretSize</c>: 500 KiB (a payload must be below it).</summary>
    public const int MaxSecretBytes = 500 * 1024;

    /// <summary>swarmkit <c>controlapi.MaxConfigSize</c>: 1000 KiB.</summary>
    public const int MaxConfigBytes = 1000 * 1024;

    /// <summary>"secret" or "config", as Docker's messages say it.</summary>
    public static string Name(this SecretKind kind) => kind == SecretKind.Secret ? "secret" : "config";

    public static int MaxBytes(this SecretKind kind) => kind == SecretKind.Secret ? MaxSecretBytes : MaxConfigBytes;

    /// <summary>Where the records live: <c>swarm/secrets/</c>, <c>swarm/configs/</c>.</summary>
    public static string RecordPrefix(this SecretKind kind) => $"swarm/{kind.Name()}s/";

    public static string Record(this SecretKind kind, SecretId id) => kind.RecordPrefix() + id.Value;

    /// <summary><c>swarm/secret-names/&lt;name&gt;</c> → the id: claimed only if absent, in the create's transaction.</summary>
    public static string NameKey(this SecretKind kind, string name) => $"swarm/{kind.Name()}-names/{name}";

    /// <summary>
    /// <c>swarm/secret-refs/&lt;id&gt;</c>: the fence between a removal and a service taking the secret up. Made with the
    /// secret, rewritten by every service create or update that references it, compared by both (README).
    /// </summary>
    public static string FenceKey(this SecretKind kind, SecretId id) => $"swarm/{kind.Name()}-refs/{id.Value}";
}
