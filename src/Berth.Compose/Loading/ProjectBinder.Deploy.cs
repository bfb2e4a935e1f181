using System.Collections.Immutable;
using System.Globalization;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

/// <summary>
/// <c>deploy:</c>. A compose project reads <c>replicas</c> and <c>restart_policy</c> (mapped onto the container's restart
/// policy); a stack reads all of it, as docker's CLI converts it into a service spec.
/// </summary>
internal sealed partial class ProjectBinder
{
    private static readonly string[] DeployModes = ["replicated", "global", "replicated-job", "global-job"];

    private (ComposeDeploy? Deploy, (int, ComposeNode)? Replicas, string? Restart) Deploy(ComposeNode node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return (null, null, null);
        }

        CheckKeys(map, path, ComposeKeys.Deploy);
        (int, ComposeNode)? replicas = map["replicas"] is { } r && Int(r, Join(path, "replicas")) is { } n ? (n, r) : null;
        var deploy = new ComposeDeploy { Replicas = replicas is { } count ? (ulong)count.Item1 : null };
        string? restart = null;
        if (map["restart_policy"] is { } policyNode && Mapping(policyNode, Join(path, "restart_policy")) is { } policy)
        {
            // Compose maps a swarm restart policy onto the container's when restart: is not set.
            var at = Join(path, "restart_policy");
            CheckKeys(policy, at, ComposeKeys.RestartPolicy);
            var attempts = policy["max_attempts"] is { } m ? Int(m, Join(at, "max_attempts")) : null;
            var written = policy["condition"] is { } c ? String(c, Join(at, "condition")) : null;
            var condition = written ?? "any";
            restart = condition switch
            {
                "none" => "no",
                "on-failure" => attempts is { } a ? $"on-failure:{a}" : "on-failure",
                "any" => "always",
                _ => null,
            };
            if (restart is null)
            {
                problems.Add(policy["condition"]!, Join(at, "condition"), $"\"{condition}\" is not a condition; use none, on-failure or any");
            }

            deploy = deploy with
            {
                RestartPolicy = new ComposeRestartPolicy(written)
                {
                    MaxAttempts = attempts is { } max ? (ulong)max : null,
                    Delay = context.Stack && policy["delay"] is { } d ? Duration(d, Join(at, "delay")) : null,
                    Window = context.Stack && policy["window"] is { } w ? Duration(w, Join(at, "window")) : null,
                },
            };
        }

        return (context.Stack ? StackDeploy(map, path, deploy) : deploy, replicas, restart);
    }

    /// <summary>The parts of <c>deploy:</c> only a stack reads.</summary>
    private ComposeDeploy StackDeploy(MappingNode map, string path, ComposeDeploy deploy)
    {
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "mode":
                    var mode = String(entry.Value, at);
                    if (mode is not null && !DeployModes.Contains(mode))
                    {
                        problems.Add(entry.Value, at, $"\"{mode}\" is not a mode; use {string.Join(", ", DeployModes)}");
                    }

                    deploy = deploy with { Mode = mode };
                    break;
                case "endpoint_mode":
                    var endpointMode = String(entry.Value, at);
                    if (endpointMode is not null && endpointMode.ToLowerInvariant() is not ("vip" or "dnsrr"))
                    {
                        problems.Add(entry.Value, at, $"\"{endpointMode}\" is not an endpoint mode; use vip or dnsrr");
                    }

                    deploy = deploy with { EndpointMode = endpointMode };
                    break;
                case "labels":
                    deploy = deploy with { Labels = StringMap(entry.Value, at, _ => "", '=') };
                    break;
                case "placement":
                    deploy = deploy with { Placement = Placement(entry.Value, at) };
                    break;
                case "update_config":
                    deploy = deploy with { UpdateConfig = UpdateConfig(entry.Value, at) };
                    break;
                case "rollback_config":
                    deploy = deploy with { RollbackConfig = UpdateConfig(entry.Value, at) };
                    break;
                case "resources":
                    deploy = deploy with { Resources = Resources(entry.Value, at) };
                    break;
            }
        }

        if (deploy.Replicas is not null && deploy.Mode is "global" or "global-job")
        {
            problems.Add(map["replicas"]!, Join(path, "replicas"), "replicas can only be used with replicated or replicated-job mode");
        }

        return deploy;
    }

    private ComposePlacement Placement(ComposeNode node, string path)
    {
        var placement = new ComposePlacement();
        if (Mapping(node, path) is not { } map)
        {
            return placement;
        }

        CheckKeys(map, path, ComposeKeys.Placement);
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "constraints":
                    placement = placement with { Constraints = Strings(entry.Value, at) };
                    break;
                case "max_replicas_per_node":
                    placement = placement with { MaxReplicasPerNode = (ulong)(Int(entry.Value, at) ?? 0) };
                    break;
                case "preferences":
                    placement = placement with { Preferences = Preferences(entry.Value, at) };
                    break;
            }
        }

        return placement;
    }

    private ImmutableArray<string> Preferences(ComposeNode node, string path)
    {
        if (node is not SequenceNode sequence)
        {
            problems.Add(node, path, $"must be a list, not {Describe(node)}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < sequence.Items.Length; i++)
        {
            var at = $"{path}[{i}]";
            if (Mapping(sequence.Items[i], at) is not { } map)
            {
                continue;
            }

            CheckKeys(map, at, ComposeKeys.Preference);
            if (map["spread"] is { } spread && String(spread, Join(at, "spread")) is { } descriptor)
            {
                result.Add(descriptor);
            }
            else
            {
                problems.Add(map, at, "needs spread: (a node label, such as node.labels.zone)");
            }
        }

        return result.ToImmutable();
    }

    private ComposeUpdateConfig? UpdateConfig(ComposeNode node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.UpdateConfig);
        var config = new ComposeUpdateConfig();
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "parallelism":
                    config = config with { Parallelism = Int(entry.Value, at) is { } p ? (ulong)p : null };
                    break;
                case "delay":
                    config = config with { Delay = Duration(entry.Value, at) ?? TimeSpan.Zero };
                    break;
                case "monitor":
                    config = config with { Monitor = Duration(entry.Value, at) ?? TimeSpan.Zero };
                    break;
                case "failure_action":
                    config = config with { FailureAction = OneOf(entry.Value, at, "continue", "pause", "rollback") };
                    break;
                case "order":
                    config = config with { Order = OneOf(entry.Value, at, "stop-first", "start-first") };
                    break;
                case "max_failure_ratio":
                    if (String(entry.Value, at) is { } text)
                    {
                        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
                        {
                            config = config with { MaxFailureRatio = ratio };
                        }
                        else
                        {
                            problems.Add(entry.Value, at, $"\"{text}\" is not a ratio between 0 and 1");
                        }
                    }

                    break;
            }
        }

        return config;
    }

    private string? OneOf(ComposeNode node, string path, params string[] allowed)
    {
        var text = String(node, path);
        if (text is not null && !allowed.Contains(text))
        {
            problems.Add(node, path, $"\"{text}\" is not allowed; use {string.Join(" or ", allowed)}");
            return null;
        }

        return text;
    }

    private ComposeResources Resources(ComposeNode node, string path)
    {
        var resources = new ComposeResources();
        if (Mapping(node, path) is not { } map)
        {
            return resources;
        }

        CheckKeys(map, path, ComposeKeys.Resources);
        if (map["limits"] is { } limits)
        {
            resources = resources with { Limits = ResourceAmounts(limits, Join(path, "limits")) };
        }

        if (map["reservations"] is { } reservations)
        {
            resources = resources with { Reservations = ResourceAmounts(reservations, Join(path, "reservations")) };
        }

        return resources;
    }

    private ComposeResourceAmounts? ResourceAmounts(ComposeNode node, string path)
    {
        if (Mapping(node, path) is not { } map)
        {
            return null;
        }

        CheckKeys(map, path, ComposeKeys.ResourceAmounts);
        var amounts = new ComposeResourceAmounts();
        foreach (var entry in map.Entries)
        {
            var at = Join(path, entry.Key.Value);
            switch (entry.Key.Value)
            {
                case "cpus" when String(entry.Value, at) is { } cpus:
                    if (ResourceUnits.TryParseCpus(cpus, out var nano))
                    {
                        amounts = amounts with { NanoCpus = nano };
                    }
                    else
                    {
                        problems.Add(entry.Value, at, $"\"{cpus}\" is not a number of CPUs (such as 0.5 or 2)");
                    }

                    break;
                case "memory" when String(entry.Value, at) is { } memory:
                    if (ResourceUnits.TryParseBytes(memory, out var bytes))
                    {
                        amounts = amounts with { MemoryBytes = bytes };
                    }
                    else
                    {
                        problems.Add(entry.Value, at, $"\"{memory}\" is not an amount of memory (such as 512M or 1G)");
                    }

                    break;
                case "pids":
                    amounts = amounts with { Pids = Int(entry.Value, at) ?? 0 };
                    break;
            }
        }

        return amounts;
    }
}
