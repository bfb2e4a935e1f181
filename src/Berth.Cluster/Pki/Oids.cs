using System.Security.Cryptography;

namespace Berth.Cluster.Pki;

/// <summary>Extended key usages of node certificates (RFC 5280 §4.2.1.12).</summary>
internal static class Oids
{
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");
}
