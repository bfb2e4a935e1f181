using System.Collections.Immutable;
using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// What <c>berth stack deploy</c> asks of the daemon for one stack file, made before any request: networks to create (by
/// name), external networks that must exist, secrets and configs to create, and the services, all sorted by name.
/// </summary>
public sealed record StackPlan(
    string Namespace,
    ImmutableSortedDictionary<string, NetworkCreateClientRequest> Networks,
    ImmutableArray<string> ExternalNetworks,
    ImmutableArray<StackFileObjectSpec> Secrets,
    ImmutableArray<StackFileObjectSpec> Configs,
    ImmutableSortedDictionary<string, StackService> Services);
