using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Cluster.Swarm;

/// <summary>
/// Reads and writes <see cref="LocalSwarmState"/> and the node's PEM files. Each file is written to a temporary
/// name, flushed to disk and renamed over the old one: a crash leaves the old file or the new one, never half.
/// </summary>
public static class SwarmStateFile
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;

    /// <summary>The state, or null when this node is in no swarm (no state file).</summary>
    public static LocalSwarmState? Load(SwarmPaths paths)
    {
        if (!File.Exists(paths.StateFile))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(paths.StateFile), ClusterJsonContext.Default.LocalSwarmState)
                ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or BerthException)
        {
            throw new BerthException(ErrorKind.Internal,
                $"swarm state {paths.StateFile} does not read ({e.Message}); leave the swarm with docker swarm leave --force, or remove {paths.Directory}", e);
        }
    }

    public static void Save(SwarmPaths paths, LocalSwarmState state) =>
        WriteAtomically(paths, paths.StateFile, JsonSerializer.SerializeToUtf8Bytes(state, ClusterJsonContext.Default.LocalSwarmState));

    /// <summary>The CA certificate and this node's certificate and key (the key readable by root only).</summary>
    public static void SaveIdentity(SwarmPaths paths, string caPem, Pki.CertificatePem node)
    {
        WriteAtomically(paths, paths.CaFile, System.Text.Encoding.UTF8.GetBytes(caPem));
        WriteAtomically(paths, paths.CertificateFile, System.Text.Encoding.UTF8.GetBytes(node.Certificate));
        WriteAtomically(paths, paths.KeyFile, System.Text.Encoding.UTF8.GetBytes(node.Key));
    }

    /// <summary>The roots the node trusts (<see cref="Pki.CaBundle"/>): its own root, both during a root rotation.</summary>
    public static void SaveTrust(SwarmPaths paths, string bundle) => WriteAtomically(paths, paths.CaFile, System.Text.Encoding.UTF8.GetBytes(bundle));

    /// <summary>A manager's CA key secret (null removes it: a demoted node keeps none).</summary>
    public static void SaveCaKeySecret(SwarmPaths paths, byte[]? secret)
    {
        if (secret is null)
        {
            File.Delete(paths.CaKeySecretFile);
            return;
        }

        WriteAtomically(paths, paths.CaKeySecretFile, secret);
    }

    public static byte[] LoadCaKeySecret(SwarmPaths paths) =>
        File.Exists(paths.CaKeySecretFile)
            ? File.ReadAllBytes(paths.CaKeySecretFile)
            : throw new BerthException(ErrorKind.Forbidden, $"this node has no CA key secret ({paths.CaKeySecretFile}): only managers sign certificates");

    public static Pki.CertificatePem LoadIdentity(SwarmPaths paths) =>
        new(File.ReadAllText(paths.CertificateFile), File.ReadAllText(paths.KeyFile));

    /// <summary>Leaving: everything under <c>ROOT/swarm</c> goes.</summary>
    public static void Delete(SwarmPaths paths)
    {
        if (Directory.Exists(paths.Directory))
        {
            Directory.Delete(paths.Directory, recursive: true);
        }
    }

    private static void WriteAtomically(SwarmPaths paths, string file, byte[] content)
    {
        Directory.CreateDirectory(paths.Directory, PrivateDirectory);
        string temporary = file + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
    }
}
