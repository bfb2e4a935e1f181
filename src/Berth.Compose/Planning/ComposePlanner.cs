using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Compose.Model;
using Berth.Core.Errors;

namespace Berth.Compose.Planning;

/// <summary>
/// Turns a loaded <see cref="ComposeProject"/> into the requests the daemon gets (<see cref="ProjectPlan"/>). Pure: the
/// only outside fact it takes is each image's id, which goes into the config hash so a re-tagged image recreates.
/// Everything is checked first and every problem reported together (<see cref="Problems"/>).
/// </summary>
public static class ComposePlanner
{
    public const string DefaultNetwork = "default";

    /// <summary>
    /// The plan for <paramref name="project"/>. <paramref name="imageIds"/> maps an image reference (as the file writes it)
    /// to its id; a missing entry hashes as unknown.
    /// </summary>
    /// <exception cref="BerthException">InvalidArgument, naming every problem of the project, one per line.</exception>
    public static ProjectPlan Plan(ComposeProject project, IReadOnlyDictionary<string, string>? imageIds = null)
    {
        var problems = Problems(project);
        if (!problems.IsEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join('\n', problems));
        }

        var order = DependencyOrder.Sort(project.Services, out _);
        var used = project.Services.Values.SelectMany(s => NetworksOf(s)).Select(n => n.Network).ToHashSet(StringComparer.Ordinal);
        return new ProjectPlan
        {
            ProjectName = project.Name,
            Networks = [.. project.Networks.Values.Where(n => used.Contains(n.Key)).Select(n => PlanNetwork(project, n))],
            Services = [.. order.Select(name => PlanService(project, project.Services[name], imageIds))],
            Volumes = Volumes(project),
        };
    }

    /// <summary>Everything the engine cannot do with <paramref name="project"/>, each naming the service or network and what to do.</summary>
    public static ImmutableArray<string> Problems(ComposeProject project)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var service in project.Services.Values)
        {
            ServiceProblems(project, service, problems);
        }

        DependencyOrder.Sort(project.Services, out var cycle);
        if (!cycle.IsEmpty)
        {
            problems.Add($"services {string.Join(", ", cycle.Select(c => "\"" + c + "\""))} depend on each other in a cycle (depends_on, network_mode: service:); break the cycle");
        }

        return problems.ToImmutable();
    }

    private static void ServiceProblems(ComposeProject project, ComposeService service, ImmutableArray<string>.Builder problems)
    {
        var name = $"service \"{service.Name}\"";
        if (service.Image is null)
        {
            problems.Add($"{name} has neither image: nor build:; give it an image");
        }

        foreach (var dependency in service.DependsOn.Where(d => !project.Services.ContainsKey(d.Service)))
        {
            problems.Add($"{name} depends on undefined service \"{dependency.Service}\"");
        }

        if (DependencyOrder.NetworkModeService(service) is { } shared)
        {
            if (!project.Services.TryGetValue(shared, out var target))
            {
                problems.Add($"{name}: network_mode: service:{shared} names an undefined service");
            }
            else if (target.Scale < 1)
            {
                problems.Add($"{name}: network_mode: service:{shared} needs a container of \"{shared}\", whose scale is 0");
            }
        }

        if (service.NetworkMode is not null && !service.Networks.IsEmpty)
        {
            problems.Add($"{name} has both network_mode and networks; use one of them");
        }

        foreach (var attachment in NetworksOf(service).Where(n => !project.Networks.ContainsKey(n.Network)))
        {
            problems.Add(attachment.Network == DefaultNetwork && service.Networks.IsEmpty
                ? $"{name} has no networks: and the project has no \"default\" network"
                : $"{name} uses undefined network \"{attachment.Network}\"");
        }

        if (service.ContainerName is not null && service.Scale > 1)
        {
            problems.Add($"{name} has container_name \"{service.ContainerName}\" and scale {service.Scale}: container names are unique; drop container_name or scale to 1");
        }

        if (service.Scale < 0)
        {
            problems.Add($"{name}: scale must not be negative");
        }

        if (RestartPolicyValue.Parse(service.Restart) is null)
        {
            problems.Add($"{name}: restart: \"{service.Restart}\" is not one of no, always, on-failure[:N], unless-stopped");
        }

        foreach (var volume in service.Volumes)
        {
            if (volume.Type == "volume")
            {
                if (volume.Source.Length > 0 && !project.Volumes.ContainsKey(volume.Source))
                {
                    problems.Add($"{name} mounts undefined volume \"{volume.Source}\" at {volume.Target}; define it under the top-level volumes:");
                }
            }
            else if (volume.Type != "bind")
            {
                problems.Add($"{name} mounts a {volume.Type} at {volume.Target}: berth compose supports bind mounts and volumes only");
            }
            else if (!Path.IsPathRooted(volume.Source))
            {
                problems.Add($"{name}: bind mount source \"{volume.Source}\" is not an absolute path");
            }
        }
    }

    /// <summary>The service's networks, first one first; none with <c>network_mode</c>; <c>default</c> when it names none.</summary>
    private static ImmutableArray<ServiceNetwork> NetworksOf(ComposeService service) =>
        service.NetworkMode is not null ? [] : service.Networks.IsEmpty ? [new ServiceNetwork(DefaultNetwork)] : service.Networks;

    private static NetworkPlan PlanNetwork(ComposeProject project, ComposeNetwork network)
    {
        if (network.External)
        {
            return new NetworkPlan { Key = network.Key, Name = network.Name, External = true };
        }

        var labels = new SortedDictionary<string, string>(network.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Network] = network.Key,
            [ComposeLabels.Version] = ComposeNames.CompatibleVersion,
        };
        return new NetworkPlan
        {
            Key = network.Key,
            Name = network.Name,
            ExpectedDriver = network.Driver ?? "bridge",
            ExpectedOptions = network.DriverOpts,
            ExpectedInternal = network.Internal,
            ExpectedIPv6 = network.EnableIPv6,
            Create = new NetworkCreateRequest
            {
                Name = network.Name,
                Driver = network.Driver,
                Options = network.DriverOpts.IsEmpty ? null : new Dictionary<string, string>(network.DriverOpts, StringComparer.Ordinal),
                Ipam = network.Ipam is { } ipam
                    ? new Ipam
                    {
                        Driver = ipam.Driver ?? "default",
                        Config = [.. ipam.Config.Select(p => new IpamConfig
                        {
                            Subnet = p.Subnet,
                            IPRange = p.IpRange,
                            Gateway = p.Gateway,
                            AuxiliaryAddresses = p.AuxAddresses.IsEmpty ? null : new Dictionary<string, string>(p.AuxAddresses, StringComparer.Ordinal),
                        })],
                    }
                    : null,
                Internal = network.Internal ? true : null,
                Attachable = true, // docker-compose 1.29 sends it for every network at API 1.24 and later
                EnableIPv6 = network.EnableIPv6 ? true : null,
                Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
            },
        };
    }

    /// <summary>The project's named volumes, planned without checking the rest of the project (what <c>down -v</c> removes).</summary>
    public static ImmutableArray<VolumePlan> Volumes(ComposeProject project) => [.. project.Volumes.Values.Select(v => PlanVolume(project, v))];

    private static VolumePlan PlanVolume(ComposeProject project, ComposeVolume volume)
    {
        if (volume.External)
        {
            return new VolumePlan { Key = volume.Key, Name = volume.Name, External = true };
        }

        var labels = new SortedDictionary<string, string>(volume.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Volume] = volume.Key,
            [ComposeLabels.Version] = ComposeNames.CompatibleVersion,
        };
        return new VolumePlan
        {
            Key = volume.Key,
            Name = volume.Name,
            Create = new VolumeCreateRequest { Name = volume.Name, Driver = volume.Driver, Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) },
        };
    }

    private static ServicePlan PlanService(ComposeProject project, ComposeService service, IReadOnlyDictionary<string, string>? imageIds)
    {
        var networks = NetworksOf(service);
        var first = networks.IsEmpty ? null : new ServiceRequestBuilder.FirstNetwork(project.Networks[networks[0].Network].Name, networks[0]);
        var connects = networks.Skip(1).Select(n => new NetworkConnectPlan(project.Networks[n.Network].Name)
        {
            Aliases = n.Aliases,
            Ipv4Address = n.Ipv4Address,
            Ipv6Address = n.Ipv6Address,
            MacAddress = n.MacAddress,
        }).ToImmutableArray();
        var labels = new SortedDictionary<string, string>(service.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.Version] = ComposeNames.CompatibleVersion,
            [ComposeLabels.WorkingDir] = project.WorkingDirectory,
            [ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles),
        }.ToImmutableSortedDictionary(StringComparer.Ordinal);
        var restart = RestartPolicyValue.Parse(service.Restart)!;
        ContainerCreateRequest Template() => ServiceRequestBuilder.Build(service, labels, first, restart, key => project.Volumes[key].Name);
        var image = service.Image!;
        return new ServicePlan
        {
            Name = service.Name,
            Service = service,
            ProjectName = project.Name,
            Image = image,
            ConfigHash = Hash(Template(), connects, DependencyOrder.NetworkModeService(service), imageIds?.GetValueOrDefault(image)),
            Scale = service.Scale,
            DependsOn = service.DependsOn,
            NetworkModeService = DependencyOrder.NetworkModeService(service),
            FirstNetwork = first?.Name,
            Connects = connects,
            StopTimeoutSeconds = service.StopGracePeriod is { } grace ? (int)Math.Ceiling(grace.TotalSeconds) : null,
            BaseLabels = labels,
            Template = Template,
        };
    }

    /// <summary>
    /// sha256 over the create request (the per-container labels are not in it yet), the connects, the shared namespace's
    /// service and the image id. Anything that would make a different container makes a different hash; nothing else does.
    /// The working directory and file list are labels of the request, so moving the project recreates, as in docker-compose.
    /// </summary>
    private static string Hash(ContainerCreateRequest request, ImmutableArray<NetworkConnectPlan> connects, string? sharedNamespace, string? imageId)
    {
        var text = new StringBuilder();
        text.Append(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, DockerJsonContext.Default.ContainerCreateRequest))).Append('\n');
        foreach (var connect in connects)
        {
            text.Append("connect ").Append(connect.Network).Append(' ').AppendJoin(',', connect.Aliases)
                .Append(' ').Append(connect.Ipv4Address).Append(' ').Append(connect.Ipv6Address).Append(' ').Append(connect.MacAddress).Append('\n');
        }

        text.Append("network_mode service:").Append(sharedNamespace).Append('\n');
        text.Append("image ").Append(imageId).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
