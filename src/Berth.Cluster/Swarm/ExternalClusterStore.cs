using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>
/// An etcd the user runs, named by berthd's <c>--cluster-store etcd://HOST:PORT[,HOST:PORT…]</c> and
/// <c>--cluster-store-opt</c> (Docker's old option names <c>kv.cacertfile</c>, <c>kv.certfile</c>, <c>kv.keyfile</c>).
/// Every node of such a swarm, manager or worker, talks to it with the credentials of its own flags; no berthd runs
/// an etcd member or changes the etcd's membership or auth.
/// </summary>
/// <remarks>
/// Schemes: <c>etcd://</c> is plain HTTP unless a <c>kv.*</c> option is given (then TLS, as old Docker did);
/// <c>etcds://</c> and <c>https://</c> are TLS (the system's roots decide without <c>kv.cacertfile</c>);
/// <c>http://</c> is plain and takes no TLS option. A port left out is etcd's client port, 2379.
/// </remarks>
public sealed record ExternalClusterStore
{
    public const string CaFileOption = "kv.cacertfile";
    public const string CertificateFileOption = "kv.certfile";
    public const string KeyFileOption = "kv.keyfile";

    /// <summary>etcd's IANA client port.</summary>
    public const int DefaultPort = 2379;

    public static readonly ImmutableArray<string> OptionNames = [CaFileOption, CertificateFileOption, KeyFileOption];

    private static readonly ImmutableArray<string> PlainSchemes = ["etcd", "http"];
    private static readonly ImmutableArray<string> TlsSchemes = ["etcds", "https"];

    /// <summary>What <c>--cluster-store</c> said: shown in messages and kept in the cluster record.</summary>
    public required string Url { get; init; }

    /// <summary>The client URLs the store dials (<c>http://…</c> or <c>https://…</c>), in the order given.</summary>
    public required ImmutableArray<Uri> Endpoints { get; init; }

    /// <summary>The CA the members' certificates must chain to (<c>kv.cacertfile</c>); null: the system's roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>The client certificate and key (<c>kv.certfile</c>, <c>kv.keyfile</c>) for an etcd with <c>--client-cert-auth</c>.</summary>
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    public bool Tls => Endpoints[0].Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// Parses the flags, checks that the files exist and hold what they should, and reports every problem together
    /// (InvalidArgument naming the flag and what to give instead).
    /// </summary>
    public static ExternalClusterStore Parse(string url, IEnumerable<string> options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var values = ParseOptions(options, problems);
        values.TryGetValue(CaFileOption, out string? caFile);
        values.TryGetValue(CertificateFileOption, out string? certificateFile);
        values.TryGetValue(KeyFileOption, out string? keyFile);

        ImmutableArray<Uri> endpoints = ParseUrl(url, tlsOptions: values.Count > 0, problems);
        if ((certificateFile is null) != (keyFile is null))
        {
            problems.Add($"--cluster-store-opt: {CertificateFileOption} and {KeyFileOption} go together (the client certificate and its key); give both or neither");
        }

        caFile = CheckFile(CaFileOption, caFile, problems);
        certificateFile = CheckFile(CertificateFileOption, certificateFile, problems);
        keyFile = CheckFile(KeyFileOption, keyFile, problems);
        if (problems.Count == 0)
        {
            CheckCredentials(caFile, certificateFile, keyFile, problems);
        }

        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems));
        }

        return new ExternalClusterStore { Url = url, Endpoints = endpoints, CaFile = caFile, CertificateFile = certificateFile, KeyFile = keyFile };
    }

    /// <summary>The client certificate (with its key) and the CA, each null when not given; the caller disposes them.</summary>
    public (X509Certificate2? Certificate, X509Certificate2? Ca) LoadCredentials()
    {
        X509Certificate2? ca = CaFile is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(CaFile));
        try
        {
            return (CertificateFile is null ? null : X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile), ca);
        }
        catch
        {
            ca?.Dispose();
            throw;
        }
    }

    private static Dictionary<string, string> ParseOptions(IEnumerable<string> options, List<string> problems)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string option in options)
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? option : option[..equals]).Trim();
            string value = equals < 0 ? "" : option[(equals + 1)..].Trim();
            if (!OptionNames.Contains(key))
            {
                problems.Add($"--cluster-store-opt {option}: unknown option \"{key}\"; accepted: {string.Join(", ", OptionNames)}");
            }
            else if (value.Length == 0)
            {
                problems.Add($"--cluster-store-opt {option}: give {key}=PATH");
            }
            else if (!values.TryAdd(key, value))
            {
                problems.Add($"--cluster-store-opt {option}: {key} is given twice");
            }
        }

        return values;
    }

    private static ImmutableArray<Uri> ParseUrl(string url, bool tlsOptions, List<string> problems)
    {
        const string Example = "e.g. --cluster-store etcd://10.0.0.1:2379,10.0.0.2:2379";
        int separator = url.IndexOf("://", StringComparison.Ordinal);
        string scheme = separator < 0 ? "" : url[..separator].ToLowerInvariant();
        if (!PlainSchemes.Contains(scheme) && !TlsSchemes.Contains(scheme))
        {
            problems.Add($"--cluster-store {url}: give the etcd as SCHEME://HOST:PORT[,HOST:PORT…] with the scheme etcd, etcds, http or https; {Example}");
            return [];
        }

        if (scheme == "http" && tlsOptions)
        {
            problems.Add($"--cluster-store {url}: http:// is plain text, yet --cluster-store-opt gives TLS files; use etcd:// or https:// for an etcd with TLS");
            return [];
        }

        string dial = TlsSchemes.Contains(scheme) || tlsOptions ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        var endpoints = ImmutableArray.CreateBuilder<Uri>();
        foreach (string member in url[(separator + 3)..].Split(','))
        {
            string text = member.Trim();
            if (text.Length == 0 || !Uri.TryCreate($"{dial}://{text}", UriKind.Absolute, out Uri? endpoint) || endpoint.UserInfo.Length > 0
                || endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0)
            {
                problems.Add($"--cluster-store {url}: \"{text}\" is not HOST:PORT; {Example}");
                continue;
            }

            if (endpoint.AbsolutePath != "/")
            {
                problems.Add($"--cluster-store {url}: a key path (\"{endpoint.AbsolutePath}\") is not supported, Berth keeps its keys under {ClusterKeys.StorePrefix}; give HOST:PORT only");
                continue;
            }

            bool explicitPort = text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Contains(':', StringComparison.Ordinal);
            endpoints.Add(explicitPort ? endpoint : new UriBuilder(endpoint) { Port = DefaultPort }.Uri);
        }

        return endpoints.ToImmutable();
    }

    private static string? CheckFile(string option, string? path, List<string> problems)
    {
        if (path is null)
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            problems.Add($"--cluster-store-opt {option}={path}: no such file");
        }

        return full;
    }

    private static void CheckCredentials(string? caFile, string? certificateFile, string? keyFile, List<string> problems)
    {
        if (caFile is not null)
        {
            try
            {
                X509Certificate2.CreateFromPem(File.ReadAllText(caFile)).Dispose();
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"--cluster-store-opt {CaFileOption}={caFile}: not a PEM certificate ({e.Message})");
            }
        }

        if (certificateFile is not null)
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"--cluster-store-opt {CertificateFileOption}={certificateFile} {KeyFileOption}={keyFile}: not a PEM certificate and its private key ({e.Message})");
            }
        }
    }
}
