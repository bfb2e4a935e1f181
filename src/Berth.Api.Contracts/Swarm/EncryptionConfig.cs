namespace Berth.Api.Contracts;

/// <summary><c>Spec.EncryptionConfig</c>: <c>swarm init --autolock</c>.</summary>
public sealed class EncryptionConfig
{
    public bool AutoLockManagers { get; set; }
}
