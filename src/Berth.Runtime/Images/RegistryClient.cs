using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Images;

/// <summary>
/// An OCI distribution (registry v2) client: manifests and blobs, with the Bearer token flow and basic
/// auth answered from one 401 challenge. Authorizations are cached per registry, scope and credentials: one client's
/// login never lets another's anonymous pull through.
/// </summary>
public sealed class RegistryClient(HttpClient http, ILogger logger, RegistryEndpoint? endpoints = null)
{
    private readonly RegistryEndpoint _endpoints = endpoints ?? RegistryEndpoint.Default;

    private static readonly string ManifestAccept = string.Join(", ",
        MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest);

    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    /// <summary>Fetches a manifest (or index) by tag or digest; returns its bytes, media type and digest.</summary>
    public async Task<(byte[] Body, string MediaType, string Digest)> GetManifestAsync(
        ImageReference repository, string tagOrDigest, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(_endpoints.BaseUri(repository.Domain), $"v2/{repository.Path}/manifests/{tagOrDigest}");
        using var response = await SendAsync(repository, uri, ManifestAccept, credentials, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BerthException(ErrorKind.NotFound,
                $"manifest for {repository.FamiliarRepository}:{tagOrDigest} not found: manifest unknown");
        }

        await EnsureSuccessAsync(response, repository, cancellationToken).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string digest = Digests.Of(body);
        if (tagOrDigest.StartsWith(Digests.Sha256Prefix, StringComparison.Ordinal) && digest != tagOrDigest)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"registry {repository.Domain} sent manifest {digest} for {repository.FamiliarRepository}@{tagOrDigest}; refusing content that does not match its digest");
        }

        string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
        {
            // Some registries answer application/json; the manifest names its own type.
            using var doc = JsonDocument.Parse(body);
            mediaType = doc.RootElement.TryGetProperty("mediaType", out var mt) ? mt.GetString() ?? ""
                : doc.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }

        return (body, mediaType, digest);
    }

    /// <summary>Downloads a blob into <paramref name="destination"/>, verifying its sha256 digest.</summary>
    public async Task DownloadBlobAsync(
        ImageReference repository, OciDescriptor blob, Stream destination, RegistryCredentials? credentials,
        IProgress<long>? progress, CancellationToken cancellationToken = default)
    {
        string expected = blob.Digest;
        Digests.Hex(expected);
        var uri = new Uri(_endpoints.BaseUri(repository.Domain), $"v2/{repository.Path}/blobs/{expected}");
        using var response = await SendAsync(repository, uri, null, credentials, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BerthException(ErrorKind.NotFound, $"blob {expected} of {repository.FamiliarRepository} not found in registry {repository.Domain}");
        }

        await EnsureSuccessAsync(response, repository, cancellationToken).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            byte[] buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                total += n;
                progress?.Report(total);
            }
        }

        string actual = Digests.Sha256Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != expected)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"blob of {repository.FamiliarRepository} from registry {repository.Domain} has digest {actual}, expected {expected}; the download is corrupt or tampered with");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        ImageReference repository, Uri uri, string? accept, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        string scope = $"repository:{repository.Path}:pull";
        string cacheKey = repository.Domain + " " + scope + " " + Fingerprint(credentials);
        var response = await SendOnceAsync(uri, accept, _authorizations.GetValueOrDefault(cacheKey), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        response.Dispose();
        if (challenge is null)
        {
            throw Unauthorized(repository, "the registry asked for authentication without saying how");
        }

        AuthenticationHeaderValue authorization;
        if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            authorization = new AuthenticationHeaderValue("Bearer",
                await FetchTokenAsync(repository, AuthChallenge.Parse(challenge.Scheme, challenge.Parameter), scope, credentials, cancellationToken).ConfigureAwait(false));
        }
        else if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials is null)
            {
                throw Unauthorized(repository, "no basic auth credentials");
            }

            authorization = Basic(credentials);
        }
        else
        {
            throw Unauthorized(repository, $"unsupported authentication scheme {challenge.Scheme}");
        }

        _authorizations[cacheKey] = authorization;
        response = await SendOnceAsync(uri, accept, authorization, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            _authorizations.TryRemove(cacheKey, out _);
            throw Unauthorized(repository, credentials is null ? "authentication required" : "the credentials were refused");
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, string? accept, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        request.Headers.Authorization = authorization;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new BerthException(ErrorKind.Unavailable,
                $"registry {uri.Authority} is not reachable: {ex.Message}; check the registry address and the network", ex);
        }

        ImagesLog.RegistryResponse(logger, "GET", uri, (int)response.StatusCode);
        return response;
    }

    private async Task<string> FetchTokenAsync(
        ImageReference repository, AuthChallenge challenge, string scope, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm))
        {
            throw Unauthorized(repository, "the Bearer challenge has no usable realm");
        }

        var (status, token) = await RequestTokenAsync(realm, challenge.Service, challenge.Scope ?? scope, credentials, cancellationToken).ConfigureAwait(false);
        if (status is < 200 or > 299)
        {
            throw Unauthorized(repository, $"the token server {realm.Authority} answered {status}");
        }

        return token ?? throw Unauthorized(repository, $"the token server {realm.Authority} sent no token");
    }

    /// <summary>One request to a token server (<paramref name="scope"/> null: none, as a login asks); its status and token.</summary>
    private async Task<(int Status, string? Token)> RequestTokenAsync(
        Uri realm, string? service, string? scope, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        if (scope is not null)
        {
            query.Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        var tokenUri = new UriBuilder(realm) { Query = query.ToString().TrimEnd('&') }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        ImagesLog.RegistryResponse(logger, "GET", tokenUri, (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            return ((int)response.StatusCode, null);
        }

        var token = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), ImagesJsonContext.Default.TokenResponse);
        return ((int)response.StatusCode, token?.Token ?? token?.AccessToken);
    }

    /// <summary>
    /// <c>docker login</c>'s check (moby <c>loginV2</c>): <c>GET /v2/</c> of <paramref name="domain"/>, answering its 401
    /// challenge with <paramref name="credentials"/> (basic, or a token fetched with them); a final 200 is a login. A
    /// refusal is Unauthorized in moby's words, an unreachable registry Unavailable.
    /// </summary>
    public async Task LoginAsync(string domain, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(_endpoints.BaseUri(domain), "v2/");
        using var first = await SendOnceAsync(uri, null, null, cancellationToken).ConfigureAwait(false);
        if (first.StatusCode == HttpStatusCode.OK)
        {
            return;
        }

        var challenge = first.StatusCode == HttpStatusCode.Unauthorized ? first.Headers.WwwAuthenticate.FirstOrDefault() : null;
        HttpStatusCode status = first.StatusCode;
        if (challenge is not null && credentials is not null)
        {
            AuthenticationHeaderValue? authorization = null;
            if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
            {
                authorization = Basic(credentials);
            }
            else if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                var parsed = AuthChallenge.Parse(challenge.Scheme, challenge.Parameter);
                if (parsed.Realm is not null && Uri.TryCreate(parsed.Realm, UriKind.Absolute, out var realm))
                {
                    (int tokenStatus, string? token) = await RequestTokenAsync(realm, parsed.Service, null, credentials, cancellationToken).ConfigureAwait(false);
                    status = (HttpStatusCode)tokenStatus;
                    authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
                }
            }

            if (authorization is not null)
            {
                using var second = await SendOnceAsync(uri, null, authorization, cancellationToken).ConfigureAwait(false);
                if (second.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                status = second.StatusCode;
            }
        }

        throw new BerthException(ErrorKind.Unauthorized,
            $"login attempt to {uri} failed with status: {(int)status} {ReasonPhrase(status)}");
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        _ => status.ToString(),
    };

    /// <summary>Which credentials an authorization was made with (a hash, never the password itself); "-" for none.</summary>
    private static string Fingerprint(RegistryCredentials? credentials) =>
        credentials is null ? "-" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credentials.Username + "\0" + credentials.Password)));

    private static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.Username + ":" + credentials.Password)));

    private static BerthException Unauthorized(ImageReference repository, string why) =>
        new(ErrorKind.Forbidden,
            $"pull access denied for {repository.FamiliarRepository}, repository does not exist or may require 'docker login': {why}");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, ImageReference repository, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new BerthException(ErrorKind.Unavailable,
            $"registry {repository.Domain} answered {(int)response.StatusCode} for {repository.FamiliarRepository}: {text.Trim()}");
    }
}
