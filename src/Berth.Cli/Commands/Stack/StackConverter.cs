using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Stack;

/// <summary>
/// A loaded stack file → the requests docker's CLI sends for it (docker/cli <c>cli/compose/convert</c>, learnt from, not
/// copied): networks <c>NAME_key</c> with the namespace label (overlay unless the file says otherwise), external ones checked
/// instead, secrets and configs from their files, and a service spec per service. Pure: no request is made here.
/// </summary>
public static partial class StackConverter
{
    private const string DefaultNetwork = "default";
    private const string DefaultNetworkDriver = "overlay";

    public static StackPlan Convert(string stack, ComposeProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var (networks, external) = Networks(stack, project);
        return new StackPlan(
            stack,
            networks,
            external,
            FileObjects(stack, project.Secrets),
            FileObjects(stack, project.Configs),
            project.Services.Values.ToImmutableSortedDictionary(s => s.Name, s => Service(stack, project, s), StringComparer.Ordinal));
    }

    /// <summary>The networks the services use (a service without any uses <c>default</c>): to create, or external to check.</summary>
    private static (ImmutableSortedDictionary<string, NetworkCreateClientRequest>, ImmutableArray<string>) Networks(string stack, ComposeProject project)
    {
        var used = project.Services.Values.SelectMany(s => s.Networks.IsEmpty ? [DefaultNetwork] : s.Networks.Select(n => n.Network)).ToHashSet(StringComparer.Ordinal);
        var create = ImmutableSortedDictionary.CreateBuilder<string, NetworkCreateClientRequest>(StringComparer.Ordinal);
        var external = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in used)
        {
            var network = project.Networks.GetValueOrDefault(key);
            var name = network?.Name ?? StackLabels.Scope(stack, key);
            if (network is { External: true })
            {
                external.Add(name);
                continue;
            }

            var request = new NetworkCreateClientRequest
            {
                Name = name,
                Driver = network?.Driver ?? DefaultNetworkDriver,
                Options = network is null ? [] : new Dictionary<string, string>(network.DriverOpts, StringComparer.Ordinal),
                Labels = WithNamespace(stack, network?.Labels),
                Internal = network?.Internal ?? false,
                Attachable = network?.Attachable ?? false,
            };
            if (network?.Ipam is { } ipam && (ipam.Driver is not null || !ipam.Config.IsEmpty))
            {
                // docker's converter passes each pool's subnet only (not its range, gateway or aux addresses).
                request.Ipam = new Ipam
                {
                    Driver = ipam.Driver,
                    Config = ipam.Config.IsEmpty ? null : [.. ipam.Config.Select(p => new IpamConfig { Subnet = p.Subnet })],
                };
            }

            create[name] = request;
        }

        return (create.ToImmutable(), [.. external]);
    }

    /// <summary>Every top-level secret (or config) made from a file, external ones left out; read now so a missing file fails before any request.</summary>
    private static ImmutableArray<StackFileObjectSpec> FileObjects(string stack, ImmutableSortedDictionary<string, ComposeFileObject> objects) =>
    [
        .. objects.Values.Where(o => !o.External).Select(o => new StackFileObjectSpec
        {
            Name = o.Name ?? StackLabels.Scope(stack, o.Key),
            Labels = WithNamespace(stack, o.Labels),
            Data = File.ReadAllBytes(o.File!),
        }),
    ];

    private static Dictionary<string, string> WithNamespace(string stack, IEnumerable<KeyValuePair<string, string>>? labels)
    {
        var result = new Dictionary<string, string>(labels ?? [], StringComparer.Ordinal)
        {
            [StackLabels.Namespace] = stack,
        };
        return result;
    }
}
