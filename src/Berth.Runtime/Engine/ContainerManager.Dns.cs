using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>The embedded resolver after a berthd restart: every running container is served again before its watcher starts.</summary>
public sealed partial class ContainerManager
{
    private async Task RestoreDnsAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        try
        {
            _networks.SetDnsUpstreams(record.Id, DnsServersOf(record.Spec));
            await _networks.SyncDnsAsync(record.Id, record.Name, reopen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            // Its namespace may be going away with an exit the watcher is about to record: berthd starts regardless.
            DnsRestoreFailed(_logger, record.ShortId, e.Message);
        }
    }

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "container {Id}: the embedded DNS resolver could not be restored: {Message}")]
    private static partial void DnsRestoreFailed(ILogger logger, string id, string message);
}
