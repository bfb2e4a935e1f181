using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Store;

/// <summary>How <see cref="EtcdStateStore"/> reaches etcd.</summary>
public sealed record EtcdStoreOptions
{
    /// <summary>etcd's client URLs (<c>http://h1:2379</c>, <c>https://…</c> for TLS), tried in order; a member that does not answer is skipped for the next.</summary>
    public required ImmutableArray<Uri> Endpoints { get; init; }

    /// <summary>
    /// This node's own member among <see cref="Endpoints"/> (a swarm manager's): every call tries it first unless it did
    /// not answer lately. A manager cut off from the others then hears "no leader" from it at once, and refuses a write
    /// at once, instead of first waiting on a member it cannot reach. Null: none is preferred.
    /// </summary>
    public Uri? PreferredEndpoint { get; init; }

    /// <summary>Every key is stored under this prefix, so one etcd can serve several things. Must end with '/'.</summary>
    public string Prefix { get; init; } = "/berth/";

    /// <summary>The client certificate (with its private key) for etcd's <c>--client-cert-auth</c>; null for none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// When set, asked for the client certificate at each TLS handshake instead of <see cref="ClientCertificate"/>: a
    /// swarm node's certificate is renewed while the store is open, and a connection made later must show the new one.
    /// </summary>
    public Func<X509Certificate2>? ClientCertificateSource { get; init; }

    /// <summary>
    /// The CA that signed the members' certificates. When set, a member's certificate must chain to it (and
    /// only to it) and name the host of the endpoint; when null, the system's roots decide.
    /// </summary>
    public X509Certificate2? TrustedCa { get; init; }

    /// <summary>Roots trusted beside <see cref="TrustedCa"/> (a cluster rotating its CA trusts the old root and the new one).</summary>
    public ImmutableArray<X509Certificate2> MoreTrustedCas { get; init; } = [];

    /// <summary>The deadline of one call, failovers included. No call waits longer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for one member's TCP/TLS connection before trying the next.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
