namespace Berth.Compose.Planning;

/// <summary>docker-compose's naming rules (compose 1.29): <c>PROJECT_SERVICE_N</c>, one-offs <c>PROJECT_SERVICE_run_HEX</c>.</summary>
public static class ComposeNames
{
    /// <summary>The label values docker-compose writes for <c>com.docker.compose.oneoff</c> (Python's bool spelling).</summary>
    public const string True = "True";
    public const string False = "False";

    /// <summary>The docker-compose release whose labels and names Berth writes, in <c>com.docker.compose.version</c>.</summary>
    public const string CompatibleVersion = "1.29.2";

    /// <summary>Docker's short id: the first 12 hex digits.</summary>
    public const int ShortIdLength = 12;

    private const int OneOffSuffixLength = 12;

    public static string Container(string project, string service, int number) =>
        $"{project}_{service}_{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The image a service with <c>build:</c> and no <c>image:</c> is built as: docker-compose 1.29's <c>PROJECT_SERVICE</c>
    /// (docker compose v2 writes <c>PROJECT-SERVICE</c>; Berth follows 1.29, as for container names).
    /// </summary>
    public static string BuiltImage(string project, string service) => $"{project}_{service}";

    /// <summary>A one-off (<c>run</c>) container's name, with a random suffix so several can run at once.</summary>
    public static string OneOff(string project, string service) =>
        $"{project}_{service}_run_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(OneOffSuffixLength / 2))}";

    public static string ShortId(string id) => id.Length > ShortIdLength ? id[..ShortIdLength] : id;
}
