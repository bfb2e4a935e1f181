namespace Berth.Cli.Client;

/// <summary>A successful reply whose body is still arriving (wait, logs, a pull's progress).</summary>
public sealed class DaemonStream(HttpResponseMessage response, Stream body) : IDisposable
{
    public int StatusCode => (int)response.StatusCode;

    public Stream Body { get; } = body;

    public void Dispose()
    {
        Body.Dispose();
        response.Dispose();
    }
}
