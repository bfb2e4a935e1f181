using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// What makes a chain a base chain: <c>{ type nat hook prerouting priority dstnat; policy accept; }</c>.
/// <see cref="Device"/> is needed for the <c>ingress</c> hook of a netdev table.
/// </summary>
public sealed record NftBaseChain
{
    public NftBaseChain(NftChainType type, NftHook hook, NftPriority priority, NftPolicy? policy = null, NftInterfaceName? device = null)
    {
        if (!Enum.IsDefined(type) || !Enum.IsDefined(hook) || (policy is { } p && !Enum.IsDefined(p)))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"base chain type {(int)type}, hook {(int)hook} or policy is not defined");
        }

        if (priority.Name is { } name && !Enum.IsDefined(name))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"base chain priority name {(int)name} is not defined");
        }

        Type = type;
        Hook = hook;
        Priority = priority;
        Policy = policy;
        Device = device;
    }

    public NftChainType Type { get; }

    public NftHook Hook { get; }

    public NftPriority Priority { get; }

    public NftPolicy? Policy { get; }

    public NftInterfaceName? Device { get; }

    internal void RenderTo(StringBuilder sb)
    {
        sb.Append("{ type ").Append(Type switch
        {
            NftChainType.Filter => "filter",
            NftChainType.Nat => "nat",
            _ => "route",
        });
        sb.Append(" hook ").Append(Hook switch
        {
            NftHook.Prerouting => "prerouting",
            NftHook.Input => "input",
            NftHook.Forward => "forward",
            NftHook.Output => "output",
            NftHook.Postrouting => "postrouting",
            _ => "ingress",
        });
        if (Device is not null)
        {
            sb.Append(" device ");
            Device.RenderTo(sb);
        }

        sb.Append(" priority ").Append(Priority.Render()).Append(';');
        if (Policy is { } policy)
        {
            sb.Append(" policy ").Append(policy == NftPolicy.Accept ? "accept" : "drop").Append(';');
        }

        sb.Append(" }");
    }
}
