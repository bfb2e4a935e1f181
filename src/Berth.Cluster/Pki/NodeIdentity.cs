using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Core.Errors;

namespace Berth.Cluster.Pki;

/// <summary>
/// Who a certificate says its holder is: CN the node id, OU its role (<c>swarm-manager</c>/<c>swarm-worker</c>),
/// O the cluster id — swarmkit's layout, read back from a presented certificate to authorise what it may do.
/// </summary>
public sealed record NodeIdentity(NodeId Node, ClusterRole Role, ClusterId Cluster)
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationalUnitOid = "2.5.4.11";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The subject <see cref="ClusterCa"/> writes into a node certificate.</summary>
    public X500DistinguishedName ToSubject()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(Cluster.Value);
        builder.AddOrganizationalUnitName(Role.OrganizationalUnit());
        builder.AddCommonName(Node.Value);
        return builder.Build();
    }

    /// <summary>Reads the identity from a node certificate's subject (its chain is <see cref="ClusterCa.Verify"/>'s business).</summary>
    public static NodeIdentity Of(X509Certificate2 certificate)
    {
        string? commonName = null, unit = null, organization = null;
        foreach (X500RelativeDistinguishedName name in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (name.HasMultipleElements)
            {
                continue;
            }

            switch (name.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    commonName = name.GetSingleElementValue();
                    break;
                case OrganizationalUnitOid:
                    unit = name.GetSingleElementValue();
                    break;
                case OrganizationOid:
                    organization = name.GetSingleElementValue();
                    break;
            }
        }

        if (!NodeId.TryParse(commonName, out NodeId node) || !ClusterId.TryParse(organization, out ClusterId cluster))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"certificate \"{certificate.Subject}\" is not a node certificate: its CN must be a node id and its O a cluster id");
        }

        return new NodeIdentity(node, ClusterRoles.FromOrganizationalUnit(unit), cluster);
    }
}
