using System.Collections.Immutable;

namespace Berth.Network.Services;

/// <summary>A service on one network: its binding and its backends now, ordered by address.</summary>
public sealed record ServiceView(ServiceBinding Binding, ImmutableArray<ServiceBackend> Backends);
