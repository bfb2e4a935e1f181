using Berth.Runtime.Engine;

namespace Berth.Daemon;

/// <summary>The container engine berthd made, and its services that hold work or resources, disposed in the order given.</summary>
internal sealed class ComposedEngine(ContainerEngine engine, IReadOnlyList<IAsyncDisposable> services) : IAsyncDisposable
{
    public ContainerEngine Engine => engine;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in services)
        {
            await service.DisposeAsync().ConfigureAwait(false);
        }
    }
}
