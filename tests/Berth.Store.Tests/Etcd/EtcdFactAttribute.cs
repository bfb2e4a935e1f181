namespace Berth.Store.Tests.Etcd;

/// <summary>
/// A test that runs a real etcd (Debian's etcd-server, installed by scripts/install-deps.sh). Skipped with a
/// reason on a developer's machine without it; under CI (CI=true) it runs regardless, so a missing etcd fails
/// loudly. Needs no root.
/// </summary>
public sealed class EtcdFactAttribute : FactAttribute
{
    public EtcdFactAttribute()
    {
        if (!EtcdProcess.IsInstalled && !IsCi)
        {
            Skip = $"needs etcd at {EtcdProcess.Binary} (apt-get install etcd-server etcd-client, as scripts/install-deps.sh does); CI runs it";
        }
    }

    internal static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
