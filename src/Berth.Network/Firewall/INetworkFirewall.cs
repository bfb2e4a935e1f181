namespace Berth.Network.Firewall;

/// <summary>Placeholder until the firewall branch lands (same shape).</summary>
public interface INetworkFirewall
{
    void Initialize();

    void AddBridge(BridgeRules rules);

    void RemoveBridge(BridgeRules rules);

    bool HasBridge(BridgeRules rules);

    void RemoveAll();
}
