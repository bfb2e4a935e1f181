using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>Hands the daemon's one logger factory to the API host, so both log the same way.</summary>
internal sealed class FactoryLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
        // The factory belongs to the daemon.
    }
}
