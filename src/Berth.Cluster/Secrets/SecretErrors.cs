using Berth.Core.Errors;

namespace Berth.Cluster.Secrets;

/// <summary>
/// Docker's messages for secrets and configs. swarmkit's come to the CLI as moby passes gRPC errors on
/// (<c>rpc error: code = … desc = …</c>); moby's own lookups (<c>getSecret</c>) say it plainly.
/// </summary>
internal static class SecretErrors
{
    public static BerthException NotFound(SecretKind kind, string idOrName) => new(ErrorKind.NotFound, $"{kind.Name()} {idOrName} not found");

    public static BerthException Ambiguous(SecretKind kind, string idOrName, int matches) =>
        new(ErrorKind.InvalidArgument, $"{kind.Name()} {idOrName} is ambiguous ({matches} matches found)");

    public static BerthException Exists(SecretKind kind, string name) => Rpc(ErrorKind.Conflict, "AlreadyExists", $"{kind.Name()} {name} already exists");

    public static BerthException Invalid(string message) => Rpc(ErrorKind.InvalidArgument, "InvalidArgument", message);

    public static BerthException InUse(SecretKind kind, string name, IReadOnlyList<string> services) =>
        Invalid($"{kind.Name()} '{name}' is in use by the following {(services.Count == 1 ? "service" : "services")}: {string.Join(", ", services)}");

    /// <summary>swarmkit <c>checkSecretExistence</c>: a service naming secrets that are not there (or not by that name).</summary>
    public static BerthException Missing(SecretKind kind, IReadOnlyList<string> names) =>
        Invalid($"{kind.Name()}{(names.Count == 1 ? "" : "s")} not found: {string.Join(", ", names)}");

    private static BerthException Rpc(ErrorKind errorKind, string code, string description) => new(errorKind, $"rpc error: code = {code} desc = {description}");
}
