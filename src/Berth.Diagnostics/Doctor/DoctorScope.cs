namespace Berth.Diagnostics.Doctor;

/// <summary>
/// What <c>berth doctor</c> was asked about: everything, or one network (<c>--network</c>) or one container
/// (<c>--container</c>), each already resolved to its id. Host-wide checks run only when the scope is everything.
/// </summary>
public sealed record DoctorScope(Core.Networks.NetworkState? Network = null, Runtime.Engine.ContainerRecord? Container = null)
{
    public static DoctorScope Everything { get; } = new();

    public bool IsEverything => Network is null && Container is null;

    /// <summary>Whether a check of <paramref name="network"/> belongs in this scope (a container's scope holds its networks).</summary>
    public bool Includes(Core.Networks.NetworkState network, IReadOnlyCollection<Core.Networks.NetworkId>? containerNetworks = null) =>
        Network is not null ? Network.Id == network.Id
        : Container is null || (containerNetworks?.Contains(network.Id) ?? false);
}
