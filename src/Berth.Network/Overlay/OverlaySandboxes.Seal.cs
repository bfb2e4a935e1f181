using Berth.Core.Errors;
using Berth.Linux.Links;

namespace Berth.Network.Overlay;

/// <summary>
/// An encrypted network's sandbox: seal0, the sealed path's TAP, in place of vxlan0. The TAP lives only as long as berthd
/// holds it open, so after a restart <see cref="Ensure"/> finds the sandbox without it and opens a new one (its peers
/// then come again from the caller's <see cref="SetPeers"/>); no kernel VXLAN device is ever made for such a network.
/// </summary>
public sealed partial class OverlaySandboxes
{
    private void BuildSeal(Sandbox sandbox, OverlaySandboxSpec spec)
    {
        var path = _sealed ?? throw new BerthException(ErrorKind.NotSupported,
            $"network {spec.Network.Short} is encrypted and this node has no sealed data path; it carries no encrypted network");
        int index = path.Open(spec.Network, spec.Vni, sandbox.Namespace, spec.LocalVtep, spec.Port);
        var links = sandbox.Namespace.Links;
        var tap = LinkRef.ByIndex(index);
        links.SetMtu(tap, spec.Mtu);
        links.SetMaster(tap, LinkRef.ByIndex(sandbox.BridgeIndex));
        links.SetUp(tap);
        sandbox.VxlanIndex = index;
        sandbox.Sealed = true;
        sandbox.LocalVtep = spec.LocalVtep;
        QuietPort(sandbox);
        sandbox.Peers = new PeerEntries();
    }

    private void RepairSeal(Sandbox sandbox, OverlaySandboxSpec spec, IReadOnlyList<LinkInfo> all, List<string> changes)
    {
        var links = sandbox.Namespace.Links;
        if (all.FirstOrDefault(l => l.Name == VxlanName) is { } vxlan)
        {
            // An encrypted network never has a kernel VXLAN device: it would carry frames in the clear.
            links.Delete(LinkRef.ByIndex(vxlan.Index));
            changes.Add($"{VxlanName} removed: the network is encrypted");
        }

        var tap = all.FirstOrDefault(l => l.Name == Sealed.SealedPath.TapName);
        if (tap is null || _sealed?.IsOpen(spec.Network) != true)
        {
            if (tap is not null)
            {
                links.Delete(LinkRef.ByIndex(tap.Index));
            }

            BuildSeal(sandbox, spec);
            changes.Add($"{Sealed.SealedPath.TapName} opened; its peers were lost with it: set them again");
            return;
        }

        sandbox.VxlanIndex = tap.Index;
        sandbox.Sealed = true;
        sandbox.LocalVtep = spec.LocalVtep;
        if (RepairPort(sandbox, spec, tap, Sealed.SealedPath.TapName, changes))
        {
            RestoreBridgeEntries(sandbox, changes);
        }
    }
}
