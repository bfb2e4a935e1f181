using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Netlink;

namespace Berth.Linux.Rules;

/// <summary>Policy routing rules of one namespace (<c>ip rule</c>: RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE).</summary>
public sealed class RuleOperations
{
    private readonly NetlinkSocket _socket;

    internal RuleOperations(NetlinkSocket socket) => _socket = socket;

    /// <summary>Adds a rule; fails with Conflict if an identical rule exists.</summary>
    public void Add(RuleSpec rule) => Send(rule, NetlinkMessageType.NewRule, NetlinkFlags.Create | NetlinkFlags.Exclusive, "add");

    /// <summary>Deletes the first rule that matches every field of <paramref name="rule"/>; NotFound when none does.</summary>
    public void Delete(RuleSpec rule) => Send(rule, NetlinkMessageType.DelRule, NetlinkFlags.None, "delete");

    /// <summary>Deletes the rule if it exists; returns whether one was removed.</summary>
    public bool TryDelete(RuleSpec rule)
    {
        try
        {
            Delete(rule);
            return true;
        }
        catch (KernelException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>The rules of one family, in the order the kernel evaluates them.</summary>
    public IReadOnlyList<RuleInfo> List(AddressFamily family = AddressFamily.InterNetwork) =>
        _socket.Query<RuleInfo>((writer, sequence) => RuleMessages.WriteDump(writer, sequence, family), RuleMessages.TryParse);

    private void Send(RuleSpec rule, NetlinkMessageType type, NetlinkFlags flags, string action)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var writer = new NetlinkMessageWriter();
        RuleMessages.Write(writer, type, flags, _socket.NextSequence(), rule);
        _socket.Execute(writer, e => Failed(rule, action, e));
    }

    private static KernelException Failed(RuleSpec rule, string action, NetlinkException e) => e.Errno switch
    {
        Errno.EEXIST => new KernelException(e.Errno, $"cannot {action} rule \"{rule}\": it already exists", e.KernelMessage, ErrorKind.Conflict),
        Errno.ENOENT or Errno.ESRCH => new KernelException(e.Errno, $"cannot {action} rule \"{rule}\": no such rule", e.KernelMessage, ErrorKind.NotFound),
        Errno.EINVAL => new KernelException(e.Errno, $"cannot {action} rule \"{rule}\": the kernel rejected it; check the table, mark and prefixes", e.KernelMessage, ErrorKind.InvalidArgument),
        _ => new KernelException(e.Errno, $"cannot {action} rule \"{rule}\"", e.KernelMessage),
    };
}
