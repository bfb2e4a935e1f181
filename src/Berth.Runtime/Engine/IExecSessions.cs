using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary><c>docker exec</c>: sessions created, started, resized and inspected.</summary>
public interface IExecSessions
{
    ExecState CreateExec(string idOrName, ExecCreateSpec spec);

    ExecState InspectExec(string execId);

    Task<ExecRun> StartExecAsync(string execId, Func<LogStream, ReadOnlyMemory<byte>, ValueTask>? output, CancellationToken cancellationToken = default);

    Task ResizeExecAsync(string execId, ushort rows, ushort columns, CancellationToken cancellationToken = default);
}
