using Berth.Runtime.Engine;

namespace Berth.Daemon;

/// <summary>The container engine berthd made, and its services that hold work or resources, disposed in the order given.</summary>
internal sealed class ComposedEngine(ContainerEngine engine, IReadOnlyList<object> disposables) : IAsyncDisposable
{
    public ContainerEngine Engine => engine;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in disposables)
        {
            switch (service)
            {
                case IAsyncDisposable asynchronous:
                    await asynchronous.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable synchronous:
                    synchronous.Dispose();
                    break;
            }
        }
    }
}
