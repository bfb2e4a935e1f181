using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// The roots a node trusts, as one PEM text (<c>ROOT/swarm/ca.crt</c>, etcd's <c>--trusted-ca-file</c>): the cluster's
/// root and, while a root rotation is under way, the new root after it. The first is the one join tokens pin.
/// Every certificate is kept as <see cref="X509Certificate2.ExportCertificatePem"/> writes it, so a digest over one
/// taken out of the bundle is the digest over the text the cluster record holds.
/// </summary>
public static class CaBundle
{
    /// <summary>The bundle of <paramref name="roots"/>, in order; of one root, exactly that root's text (what a node reports as its trust root is compared with the cluster's as text).</summary>
    public static string Join(IEnumerable<string> roots) => string.Join('\n', roots.Select(root => root.Trim()));

    /// <summary>Each certificate of a bundle, canonical PEM, in order; a bundle without one is refused.</summary>
    public static ImmutableArray<string> Split(string bundle)
    {
        var roots = ImmutableArray.CreateBuilder<string>();
        ReadOnlySpan<char> rest = bundle;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                roots.Add(PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String(rest[fields.Base64Data].ToString())));
            }

            rest = rest[fields.Location.End..];
        }

        return roots.Count > 0
            ? roots.ToImmutable()
            : throw new BerthException(ErrorKind.InvalidArgument, "the CA bundle holds no PEM certificate");
    }

    /// <summary>The first root: the cluster's own (what <c>GET /ca</c> serves and join tokens digest).</summary>
    public static string Primary(string bundle) => Split(bundle)[0];

    public static X509Certificate2Collection Load(string bundle)
    {
        var roots = new X509Certificate2Collection();
        foreach (string root in Split(bundle))
        {
            roots.Add(X509Certificate2.CreateFromPem(root));
        }

        return roots;
    }

    public static X509Certificate2Collection LoadFile(string path) => Load(File.ReadAllText(path));

    /// <summary>Disposes every certificate of a collection <see cref="Load"/> made.</summary>
    public static void Dispose(X509Certificate2Collection roots)
    {
        foreach (X509Certificate2 root in roots)
        {
            root.Dispose();
        }
    }
}
