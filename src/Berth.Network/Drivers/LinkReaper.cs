using System.Threading.Channels;
using Berth.Core.Errors;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Drivers;

/// <summary>
/// Deletes links in the background. Unregistering a device costs the kernel ~40 ms here (RCU
/// waits), most of it outside rtnl_lock; a network's removal should not make its caller wait for
/// that. A link to reap is first taken down and renamed to <c>bx-…</c> (fast), which frees its name
/// at once; the rename is the record: whatever carries the prefix after a crash is reaped at start.
/// </summary>
public sealed partial class LinkReaper : IAsyncDisposable
{
    /// <summary>Links Berth is deleting; never a name a user or a network gets.</summary>
    public const string Prefix = "bx-";

    private readonly NetworkNamespace _host;
    private readonly RtnlClient _own;
    private readonly ILogger _logger;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;

    public LinkReaper(NetworkNamespace host, ILogger? logger = null)
    {
        _host = host;

        // A socket of its own: a DELLINK blocks its socket until the kernel has unregistered the
        // device, and the namespace's shared socket must stay free for other work meanwhile.
        _own = host.Run(() => RtnlClient.Open());
        _logger = logger ?? NullLogger.Instance;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Queues every <c>bx-*</c> link left by an earlier run.</summary>
    public int SweepLeftovers()
    {
        int count = 0;
        foreach (var link in _host.Links.List().Where(l => l.Name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            _queue.Writer.TryWrite(link.Name);
            count++;
        }

        return count;
    }

    /// <summary>Takes <paramref name="link"/> down, renames it out of the way and queues its deletion. False if it does not exist.</summary>
    public bool Reap(string link)
    {
        if (_host.Links.TryGet(link) is not { } info)
        {
            return false;
        }

        string graveName = GraveName();

        // A dying link gives its addresses back now: its subnets are free for the next network.
        foreach (var address in _host.Rtnl.Addresses.List(LinkRef.ByIndex(info.Index)).Where(a => a.Scope != Linux.Addresses.AddressScope.Link))
        {
            _host.Rtnl.Addresses.Delete(LinkRef.ByIndex(info.Index), address.Address);
        }

        _host.Links.SetDown(LinkRef.ByIndex(info.Index));
        _host.Links.Rename(LinkRef.ByIndex(info.Index), graveName);
        _queue.Writer.TryWrite(graveName);
        return true;
    }

    /// <summary>A fresh <c>bx-…</c> name for a link on its way out.</summary>
    public static string GraveName() => Prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    /// <summary>Waits until everything queued so far is deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        _own.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (string link in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _own.Links.TryDelete(link);
            }
            catch (BerthException e)
            {
                ReapFailed(_logger, link, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "deleting link {Link} failed: {Message}")]
    private static partial void ReapFailed(ILogger logger, string link, string message);
}
