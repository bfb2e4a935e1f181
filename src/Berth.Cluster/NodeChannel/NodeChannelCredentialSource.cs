using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Cluster.NodeChannel;

/// <summary>
/// The node's credentials as they are on disk now: <c>node.crt</c>/<c>node.key</c> and <c>ca.crt</c> are replaced on
/// renewal and root rotation while the channel runs, so each use asks <see cref="Current"/>, which reloads when a file
/// changed. A superseded certificate is not disposed: a handshake or request may still hold it. A renewal writes the
/// certificate and then the key: a look between the two finds a pair that does not match, and keeps the previous one
/// (it is still valid) until both are new.
/// </summary>
public sealed class NodeChannelCredentialSource(SwarmPaths paths)
{
    private readonly Lock _lock = new();
    private (DateTime Ca, DateTime Certificate, DateTime Key) _stamp;
    private NodeChannelCredentials? _current;

    public NodeChannelCredentials Current()
    {
        lock (_lock)
        {
            var stamp = (File.GetLastWriteTimeUtc(paths.CaFile), File.GetLastWriteTimeUtc(paths.CertificateFile), File.GetLastWriteTimeUtc(paths.KeyFile));
            if (_current is null || stamp != _stamp)
            {
                try
                {
                    _current = Load();
                    _stamp = stamp;
                }
                catch (Exception e) when ((e is BerthException { Kind: ErrorKind.InvalidArgument } or System.Security.Cryptography.CryptographicException) && _current is not null)
                {
                    // Half-written renewal: the next use looks again.
                }
            }

            return _current;
        }
    }

    private NodeChannelCredentials Load()
    {
        if (!File.Exists(paths.CertificateFile) || !File.Exists(paths.KeyFile) || !File.Exists(paths.CaFile))
        {
            throw new BerthException(ErrorKind.Unavailable, $"this node has no swarm certificate under {paths.Directory}; is it in a swarm?");
        }

        var certificate = new CertificatePem(File.ReadAllText(paths.CertificateFile), File.ReadAllText(paths.KeyFile)).Import();
        return new NodeChannelCredentials(certificate, CaBundle.LoadFile(paths.CaFile), NodeIdentity.Of(certificate));
    }
}
