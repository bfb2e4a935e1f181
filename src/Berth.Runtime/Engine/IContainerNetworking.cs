namespace Berth.Runtime.Engine;

/// <summary><c>docker network connect</c>/<c>disconnect</c> of containers, running or not.</summary>
public interface IContainerNetworking
{
    Task ConnectAsync(string networkIdOrName, string containerIdOrName, EndpointSpec endpoint, CancellationToken cancellationToken = default);

    Task DisconnectAsync(string networkIdOrName, string containerIdOrName, CancellationToken cancellationToken = default);
}
