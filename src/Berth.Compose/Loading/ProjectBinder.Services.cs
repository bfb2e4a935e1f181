using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

internal sealed partial class ProjectBinder
{
    private static readonly string[] HealthcheckTestKinds = ["NONE", "CMD", "CMD-SHELL"];

    private ComposeService? BindService(string name, ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.Service);
        if (context.Stack)
        {
            CheckStackKeys(map, path);
        }

        var service = new ComposeService { Name = name };
        int? scale = null;
        (int Value, ComposeNode Node)? replicas = null;
        string? deployRestart = null;
        var environment = ImmutableSortedDictionary<string, string>.Empty;
        var fromFiles = ImmutableSortedDictionary<string, string>.Empty;
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Value;
            var value = entry.Value;
            var at = Join(path, key);
            switch (key)
            {
                case "image":
                    service = service with { Image = String(value, at) };
                    break;
                case "build":
                    service = service with { Build = Build(value, at) };
                    break;
                case "command":
                    service = service with { Command = CommandLine(value, at) };
                    break;
                case "entrypoint":
                    service = service with { Entrypoint = CommandLine(value, at) };
                    break;
                case "environment":
                    environment = StringMap(value, at, context.Lookup, '=');
                    break;
                case "env_file":
                    fromFiles = EnvFiles(value, at);
                    break;
                case "ports":
                    service = service with { Ports = Ports(value, at) };
                    break;
                case "expose":
                    service = service with { Expose = Expose(value, at) };
                    break;
                case "networks":
                    service = service with { Networks = ServiceNetworks(name, value, at) };
                    break;
                case "network_mode":
                    service = service with { NetworkMode = NetworkMode(name, value, at) };
                    break;
                case "depends_on":
                    service = service with { DependsOn = DependsOn(name, value, at) };
                    break;
                case "healthcheck":
                    service = service with { Healthcheck = Healthcheck(value, at) };
                    break;
                case "restart":
                    service = service with { Restart = Restart(value, at) };
                    break;
                case "container_name":
                    service = service with { ContainerName = ContainerName(value, at) };
                    break;
                case "hostname":
                    service = service with { Hostname = String(value, at) };
                    break;
                case "labels":
                    service = service with { Labels = StringMap(value, at, _ => "", '=') };
                    break;
                case "sysctls":
                    service = service with { Sysctls = StringMap(value, at, _ => "", '=') };
                    break;
                case "dns":
                    service = service with { Dns = Addresses(Strings(value, at, single: true), value, at) };
                    break;
                case "extra_hosts":
                    service = service with { ExtraHosts = ExtraHosts(value, at) };
                    break;
                case "volumes":
                    service = service with { Volumes = Volumes(name, value, at) };
                    break;
                case "scale":
                    scale = Int(value, at);
                    break;
                case "deploy":
                    ComposeDeploy? deploy;
                    (deploy, replicas, deployRestart) = Deploy(value, at);
                    service = service with { Deploy = deploy };
                    break;
                case "secrets" when context.Stack:
                    service = service with { Secrets = FileReferences(name, value, at, secretReferences) };
                    break;
                case "configs" when context.Stack:
                    service = service with { Configs = FileReferences(name, value, at, configReferences) };
                    break;
                case "stop_grace_period":
                    service = service with { StopGracePeriod = Duration(value, at) };
                    break;
                case "profiles":
                    service = service with { Profiles = Strings(value, at) };
                    break;
            }
        }

        service = service with { Environment = fromFiles.SetItems(environment) };
        if (scale is not null && replicas is not null && scale != replicas.Value.Value)
        {
            problems.Add(replicas.Value.Node, Join(path, "deploy.replicas"), $"{replicas.Value.Value} differs from scale: {scale}; set one of them");
        }

        service = service with { Scale = scale ?? replicas?.Value ?? 1, Restart = service.Restart ?? deployRestart };
        if (map["networks"] is { } networksNode && service.NetworkMode is not null)
        {
            problems.Add(networksNode, Join(path, "networks"), $"cannot be used with network_mode: {service.NetworkMode}; keep one of them");
            service = service with { Networks = [] };
        }
        else if (map["networks"] is null && service.NetworkMode is null)
        {
            service = service with { Networks = [new ServiceNetwork(DefaultNetwork)] };
            networkReferences.Add(new Reference(name, DefaultNetwork, map, Join(path, "networks")));
        }

        if (map["image"] is null && context.Stack)
        {
            problems.Add(map, path, "has no image:; a stack runs images only (build: is ignored), give it one");
        }
        else if (map["image"] is null && map["build"] is null or ScalarNode { IsNull: true })
        {
            problems.Add(map, path, "has neither image: nor build:; give it an image");
        }

        if (service.Build is not null && service.Image is null && !context.Stack)
        {
            service = service with { Image = Planning.ComposeNames.BuiltImage(context.ProjectName, name) };
        }

        if (service.ContainerName is not null && service.Scale > 1 && !context.Stack)
        {
            problems.Add(map["container_name"]!, Join(path, "container_name"),
                $"a fixed container name cannot be used with {service.Scale} replicas (names are unique); remove container_name or scale to 1");
        }

        return service;
    }

    private ImmutableArray<string>? CommandLine(ComposeNode node, string path)
    {
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode scalar:
                if (ShellWords.TrySplit(scalar.Value, out var words, out var error))
                {
                    return [.. words];
                }

                problems.Add(node, path, $"cannot split \"{scalar.Value}\" into words: {error}");
                return null;
            default:
                return Strings(node, path);
        }
    }

    private ImmutableSortedDictionary<string, string> EnvFiles(ComposeNode node, string path)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var sequence = NodeForms.ToSequence(node) as SequenceNode;
        if (sequence is null)
        {
            problems.Add(node, path, $"must be a path or a list of paths, not {Describe(node)}");
            return result.ToImmutable();
        }

        for (var i = 0; i < sequence.Items.Length; i++)
        {
            var item = sequence.Items[i];
            var at = $"{path}[{i}]";
            string? file;
            var required = true;
            if (item is MappingNode map)
            {
                CheckKeys(map, at, ComposeKeys.EnvFile);
                file = map["path"] is { } p ? String(p, Join(at, "path")) : null;
                if (map["required"] is { } r)
                {
                    required = Bool(r, Join(at, "required"));
                }

                if (file is null)
                {
                    problems.Add(item, at, "needs path:");
                    continue;
                }
            }
            else
            {
                file = String(item, at);
            }

            if (file is null)
            {
                continue;
            }

            var full = Path.GetFullPath(file, context.WorkingDirectory);
            if (!File.Exists(full))
            {
                if (required)
                {
                    problems.Add(item, at, $"env file {full} not found; create it, fix the path, or mark it required: false");
                }

                continue;
            }

            foreach (var (key, value) in DotEnvFile.Parse(File.ReadAllText(full), file, context.Lookup, problems))
            {
                result[key] = value;
            }
        }

        return result.ToImmutable();
    }

    private ImmutableArray<ComposePort> Ports(ComposeNode node, string path)
    {
        if (node is not SequenceNode sequence)
        {
            if (node is not ScalarNode { IsNull: true })
            {
                problems.Add(node, path, $"must be a list, not {Describe(node)}");
            }

            return [];
        }

        var result = new List<ComposePort>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            var item = sequence.Items[i];
            var at = $"{path}[{i}]";
            if (item is MappingNode map)
            {
                if (LongPort(map, at) is { } port)
                {
                    result.Add(port);
                }

                continue;
            }

            if (String(item, at) is not { } text)
            {
                continue;
            }

            if (PortSpec.TryParseShort(text, out var ports, out var error))
            {
                result.AddRange(ports);
            }
            else
            {
                problems.Add(item, at, $"bad port \"{text}\": {error}");
            }
        }

        return [.. result.Distinct()];
    }

    private ComposePort? LongPort(MappingNode map, string path)
    {
        CheckKeys(map, path, ComposeKeys.Port);
        if (map["target"] is not { } targetNode)
        {
            problems.Add(map, path, "needs target: (the container port)");
            return null;
        }

        var target = Int(targetNode, Join(path, "target"), minimum: 1);
        if (target > ushort.MaxValue)
        {
            problems.Add(targetNode, Join(path, "target"), $"{target} is not a port (1-65535)");
            target = null;
        }

        string? published = null;
        if (map["published"] is { } publishedNode && String(publishedNode, Join(path, "published")) is { Length: > 0 } text)
        {
            if (PortSpec.TryRange(text, out _, out _))
            {
                published = text;
            }
            else
            {
                problems.Add(publishedNode, Join(path, "published"), $"\"{text}\" is not a host port (1-65535) or range (8080-8081)");
            }
        }

        string? hostIp = null;
        if (map["host_ip"] is { } hostIpNode && String(hostIpNode, Join(path, "host_ip")) is { } ip)
        {
            if (IPAddress.TryParse(ip, out _))
            {
                hostIp = ip;
            }
            else
            {
                problems.Add(hostIpNode, Join(path, "host_ip"), $"\"{ip}\" is not an IP address");
            }
        }

        var protocol = "tcp";
        if (map["protocol"] is { } protocolNode && String(protocolNode, Join(path, "protocol")) is { } p)
        {
            if (PortSpec.Protocols.Contains(p))
            {
                protocol = p;
            }
            else
            {
                problems.Add(protocolNode, Join(path, "protocol"), $"unknown protocol \"{p}\"; use tcp, udp or sctp");
            }
        }

        string? mode = null;
        if (context.Stack && map["mode"] is { } modeNode && String(modeNode, Join(path, "mode")) is { } m)
        {
            if (m is "ingress" or "host")
            {
                mode = m;
            }
            else
            {
                problems.Add(modeNode, Join(path, "mode"), $"\"{m}\" is not a publish mode; use ingress or host");
            }
        }

        return target is { } port ? new ComposePort((ushort)port, published, hostIp, protocol, mode) : null;
    }

    private ImmutableArray<string> Expose(ComposeNode node, string path)
    {
        var items = Strings(node, path);
        foreach (var item in items)
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (!PortSpec.TryRange(slash < 0 ? item : item[..slash], out _, out _) || (slash >= 0 && !PortSpec.Protocols.Contains(item[(slash + 1)..])))
            {
                problems.Add(node, path, $"bad port \"{item}\": expected PORT[-PORT][/PROTOCOL] such as 80, 8000-8010 or 53/udp");
            }
        }

        return items;
    }

    private ImmutableArray<ServiceNetwork> ServiceNetworks(string service, ComposeNode node, string path)
    {
        var result = new List<ServiceNetwork>();
        foreach (var (key, value) in Entries(NodeForms.ToMapping(node), path))
        {
            var at = Join(path, key.Value);
            networkReferences.Add(new Reference(service, key.Value, key, path));
            var network = new ServiceNetwork(key.Value);
            var map = Mapping(value, at);
            if (map is null)
            {
                result.Add(network);
                continue;
            }

            CheckKeys(map, at, ComposeKeys.ServiceNetwork);
            foreach (var entry in map.Entries)
            {
                var field = Join(at, entry.Key.Value);
                switch (entry.Key.Value)
                {
                    case "aliases":
                        network = network with { Aliases = Strings(entry.Value, field) };
                        break;
                    case "ipv4_address":
                        network = network with { Ipv4Address = Address(service, key.Value, entry, field, AddressFamily.InterNetwork) };
                        break;
                    case "ipv6_address":
                        network = network with { Ipv6Address = Address(service, key.Value, entry, field, AddressFamily.InterNetworkV6) };
                        break;
                    case "priority":
                        network = network with { Priority = Int(entry.Value, field, int.MinValue) ?? 0 };
                        break;
                    case "mac_address":
                        network = network with { MacAddress = MacAddress(entry.Value, field) };
                        break;
                }
            }

            result.Add(network);
        }

        return [.. result.OrderByDescending(n => n.Priority).ThenBy(n => n.Network, StringComparer.Ordinal)];
    }

    private string? Address(string service, string network, MappingEntry entry, string path, AddressFamily family)
    {
        if (String(entry.Value, path) is not { } text)
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family || text.Contains('/'))
        {
            problems.Add(entry.Value, path, $"\"{text}\" is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
            return null;
        }

        fixedAddresses.Add(new FixedAddress(service, network, address, entry.Key.Value, entry.Value, path));
        return text;
    }

    private string? MacAddress(ComposeNode node, string path)
    {
        var text = String(node, path);
        if (text is not null && !System.Net.NetworkInformation.PhysicalAddress.TryParse(text, out _))
        {
            problems.Add(node, path, $"\"{text}\" is not a MAC address (like 02:42:ac:11:00:02)");
            return null;
        }

        return text;
    }

    private string? NetworkMode(string service, ComposeNode node, string path)
    {
        var mode = String(node, path);
        switch (mode)
        {
            case null or "host" or "none" or "bridge":
                return mode;
            case var m when m.StartsWith("service:", StringComparison.Ordinal) && m.Length > "service:".Length:
                networkModeReferences.Add(new Reference(service, m["service:".Length..], node, path));
                return mode;
            case var m when m.StartsWith("container:", StringComparison.Ordinal) && m.Length > "container:".Length:
                return mode;
            default:
                problems.Add(node, path, $"\"{mode}\" is not a network mode; use host, none, bridge, service:NAME or container:NAME (or networks: for the project's networks)");
                return null;
        }
    }

    private ImmutableArray<ServiceDependency> DependsOn(string service, ComposeNode node, string path)
    {
        var result = ImmutableArray.CreateBuilder<ServiceDependency>();
        foreach (var (key, value) in Entries(NodeForms.ToMapping(node), path))
        {
            var at = Join(path, key.Value);
            var condition = DependencyCondition.Started;
            if (value is not ScalarNode { IsNull: true } && Mapping(value, at) is { } map)
            {
                CheckKeys(map, at, ComposeKeys.Dependency);
                if (map["condition"] is { } conditionNode)
                {
                    switch (String(conditionNode, Join(at, "condition")))
                    {
                        case "service_started":
                            break;
                        case "service_healthy":
                            condition = DependencyCondition.Healthy;
                            break;
                        case "service_completed_successfully":
                            condition = DependencyCondition.CompletedSuccessfully;
                            break;
                        case var other:
                            problems.Add(conditionNode, Join(at, "condition"),
                                $"\"{other}\" is not a condition; use service_started, service_healthy or service_completed_successfully");
                            break;
                    }
                }
            }

            dependencies.Add(new Reference(service, key.Value, key, path, condition));
            result.Add(new ServiceDependency(key.Value, condition));
        }

        return result.ToImmutable();
    }

    private ComposeHealthcheck? Healthcheck(ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.Healthcheck);
        var check = new ComposeHealthcheck();
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "test":
                    check = check with { Test = HealthcheckTest(entry.Value, at) };
                    break;
                case "interval":
                    check = check with { Interval = Duration(entry.Value, at) };
                    break;
                case "timeout":
                    check = check with { Timeout = Duration(entry.Value, at) };
                    break;
                case "start_period":
                    check = check with { StartPeriod = Duration(entry.Value, at) };
                    break;
                case "retries":
                    check = check with { Retries = Int(entry.Value, at) };
                    break;
                case "disable":
                    check = check with { Disable = Bool(entry.Value, at) };
                    break;
            }
        }

        return check.Disable ? check with { Test = ["NONE"] } : check;
    }

    private ImmutableArray<string> HealthcheckTest(ComposeNode node, string path)
    {
        if (node is ScalarNode { IsNull: false } scalar)
        {
            return ["CMD-SHELL", scalar.Value];
        }

        var test = Strings(node, path);
        if (test.Length > 0 && !HealthcheckTestKinds.Contains(test[0]))
        {
            problems.Add(node, path, $"a list starts with \"CMD\", \"CMD-SHELL\" or \"NONE\", not \"{test[0]}\"; or write the command as one string");
        }

        return test;
    }

    private string? Restart(ComposeNode node, string path)
    {
        var text = String(node, path);
        var valid = text switch
        {
            null or "no" or "always" or "unless-stopped" or "on-failure" => true,
            var t when t.StartsWith("on-failure:", StringComparison.Ordinal) => int.TryParse(t["on-failure:".Length..], out var n) && n >= 0,
            _ => false,
        };
        if (!valid)
        {
            problems.Add(node, path, $"\"{text}\" is not a restart policy; use no, always, unless-stopped, on-failure or on-failure:N");
            return null;
        }

        return text;
    }

    private string? ContainerName(ComposeNode node, string path)
    {
        var name = String(node, path);
        if (name is not null && (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
        {
            problems.Add(node, path, $"\"{name}\" is not a container name; use [a-zA-Z0-9][a-zA-Z0-9_.-]+");
            return null;
        }

        return name;
    }

    private ImmutableArray<string> Addresses(ImmutableArray<string> items, ComposeNode node, string path)
    {
        foreach (var item in items.Where(i => !IPAddress.TryParse(i, out _)))
        {
            problems.Add(node, path, $"\"{item}\" is not an IP address");
        }

        return items;
    }

    private ImmutableArray<string> ExtraHosts(ComposeNode node, string path)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var mapped = NodeForms.ToMapping(node, '=', ':');
        foreach (var (key, value) in Entries(mapped, path))
        {
            var address = value is ScalarNode { IsNull: true } ? null : String(value, Join(path, key.Value));
            if (address is null || (address != "host-gateway" && !IPAddress.TryParse(address.Trim('[', ']'), out _)))
            {
                problems.Add(value, Join(path, key.Value), $"\"{address}\" is not an IP address (or host-gateway); write HOST:ADDRESS");
                continue;
            }

            result.Add($"{key.Value}:{address.Trim('[', ']')}");
        }

        return result.ToImmutable();
    }

    private ImmutableArray<ServiceVolume> Volumes(string service, ComposeNode node, string path)
    {
        if (node is not SequenceNode sequence)
        {
            if (node is not ScalarNode { IsNull: true })
            {
                problems.Add(node, path, $"must be a list, not {Describe(node)}");
            }

            return [];
        }

        var result = ImmutableArray.CreateBuilder<ServiceVolume>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            var item = sequence.Items[i];
            var at = $"{path}[{i}]";
            var volume = item is MappingNode map ? LongVolume(map, at) : ShortVolume(item, at);
            if (volume is null)
            {
                continue;
            }

            if (volume.Type == "volume" && volume.Source.Length > 0)
            {
                volumeReferences.Add(new Reference(service, volume.Source, item, at));
            }

            result.Add(volume);
        }

        return result.ToImmutable();
    }

    private ServiceVolume? ShortVolume(ComposeNode node, string path)
    {
        if (String(node, path) is not { } text)
        {
            return null;
        }

        var (source, target, mode) = VolumeSpec.SplitShort(text);
        if (target is null || !target.StartsWith('/') || source is { Length: 0 })
        {
            problems.Add(node, path, $"bad volume \"{text}\": expected [SOURCE:]TARGET[:MODE] with an absolute TARGET, such as ./data:/data:ro or dbdata:/var/lib/db");
            return null;
        }

        var options = mode?.Split(',') ?? [];
        foreach (var option in options.Where(o => !VolumeSpec.Modes.Contains(o)))
        {
            problems.Add(node, path, $"unknown volume mode \"{option}\" in \"{text}\"; use ro, rw, z, Z, nocopy or a propagation mode");
        }

        var readOnly = options.Contains("ro");
        return source switch
        {
            null => new ServiceVolume("volume", "", target, readOnly),
            var s when VolumeSpec.IsPath(s) => new ServiceVolume("bind", HostPath(s), target, readOnly),
            var s => new ServiceVolume("volume", s, target, readOnly),
        };
    }

    private ServiceVolume? LongVolume(MappingNode map, string path)
    {
        CheckKeys(map, path, ComposeKeys.Volume);
        var type = map["type"] is { } t ? String(t, Join(path, "type")) : null;
        var source = map["source"] is { } s ? String(s, Join(path, "source")) ?? "" : "";
        var target = map["target"] is { } g ? String(g, Join(path, "target")) : null;
        var readOnly = map["read_only"] is { } r && Bool(r, Join(path, "read_only"));
        if (type is not ("bind" or "volume"))
        {
            problems.Add(map["type"] ?? map, Join(path, "type"),
                type is null ? "is required: bind or volume" : $"\"{type}\" is not supported by berth compose yet; use bind or volume");
            return null;
        }

        if (target is null || !target.StartsWith('/'))
        {
            problems.Add(map["target"] ?? map, Join(path, "target"), "needs an absolute container path");
            return null;
        }

        if (type == "bind")
        {
            if (source.Length == 0)
            {
                problems.Add(map, Join(path, "source"), "a bind mount needs source: (a host path)");
                return null;
            }

            source = HostPath(source);
        }

        return new ServiceVolume(type, source, target, readOnly);
    }

    /// <summary>A host path made absolute: <c>~</c> is $HOME, a relative path is against the project directory.</summary>
    private string HostPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = (context.Lookup("HOME") ?? "/root") + path[1..];
        }

        return Path.GetFullPath(path, context.WorkingDirectory);
    }
}
