using System.Collections.Immutable;
using System.Net;

namespace Berth.Network.Firewall;

public sealed record BridgeRules(string Bridge, ImmutableArray<IPNetwork> Subnets, bool Masquerade, bool InterContainerCommunication, bool Internal);
