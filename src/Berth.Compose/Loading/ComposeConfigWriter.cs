using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Compose.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose.Loading;

/// <summary>
/// Prints a loaded project as <c>docker compose config</c> does: the resolved model in one normalized YAML form — keys
/// sorted, ports and volumes in long form, durations as Go writes them, networks with their final Docker names.
/// </summary>
public static partial class ComposeConfigWriter
{
    public static void Write(ComposeProject project, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(project);
        var emitter = new Emitter(writer, new EmitterSettings().WithBestIndent(2).WithIndentedSequences());
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Map(emitter, () =>
        {
            Field(emitter, "name", project.Name);
            Key(emitter, "services");
            Map(emitter, () =>
            {
                foreach (var service in project.Services.Values)
                {
                    Key(emitter, service.Name);
                    WriteService(emitter, service);
                }
            });
            if (!project.Networks.IsEmpty)
            {
                Key(emitter, "networks");
                Map(emitter, () =>
                {
                    foreach (var network in project.Networks.Values)
                    {
                        Key(emitter, network.Key);
                        WriteNetwork(emitter, network);
                    }
                });
            }

            if (!project.Volumes.IsEmpty)
            {
                Key(emitter, "volumes");
                Map(emitter, () =>
                {
                    foreach (var volume in project.Volumes.Values)
                    {
                        Key(emitter, volume.Key);
                        Map(emitter, () =>
                        {
                            Field(emitter, "driver", volume.Driver);
                            Flag(emitter, "external", volume.External);
                            StringMap(emitter, "labels", volume.Labels);
                            Field(emitter, "name", volume.Name);
                        });
                    }
                });
            }
        });
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
    }

    private static void WriteService(IEmitter e, ComposeService service) => Map(e, () =>
    {
        if (service.Build is { } build)
        {
            Key(e, "build");
            Map(e, () =>
            {
                StringMap(e, "args", build.Args);
                Field(e, "context", build.Context);
                Field(e, "dockerfile", build.Dockerfile);
                List(e, "extra_hosts", build.ExtraHosts);
                StringMap(e, "labels", build.Labels);
                Field(e, "network", build.Network);
                Flag(e, "no_cache", build.NoCache);
                Flag(e, "pull", build.Pull);
                Field(e, "target", build.Target);
            });
        }

        List(e, "command", service.Command);
        Field(e, "container_name", service.ContainerName);
        if (!service.DependsOn.IsEmpty)
        {
            Key(e, "depends_on");
            Map(e, () =>
            {
                foreach (var dependency in service.DependsOn.OrderBy(d => d.Service, StringComparer.Ordinal))
                {
                    Key(e, dependency.Service);
                    Map(e, () => Field(e, "condition", dependency.Condition switch
                    {
                        DependencyCondition.Healthy => "service_healthy",
                        DependencyCondition.CompletedSuccessfully => "service_completed_successfully",
                        _ => "service_started",
                    }));
                }
            });
        }

        List(e, "dns", service.Dns);
        List(e, "entrypoint", service.Entrypoint);
        StringMap(e, "environment", service.Environment);
        List(e, "expose", service.Expose);
        List(e, "extra_hosts", service.ExtraHosts);
        if (service.Healthcheck is { } check)
        {
            Key(e, "healthcheck");
            Map(e, () =>
            {
                Flag(e, "disable", check.Disable);
                Field(e, "interval", check.Interval);
                Number(e, "retries", check.Retries);
                Field(e, "start_period", check.StartPeriod);
                List(e, "test", check.Test.IsEmpty ? null : check.Test);
                Field(e, "timeout", check.Timeout);
            });
        }

        Field(e, "hostname", service.Hostname);
        Field(e, "image", service.Image);
        StringMap(e, "labels", service.Labels);
        Field(e, "network_mode", service.NetworkMode);
        if (!service.Networks.IsEmpty)
        {
            Key(e, "networks");
            Map(e, () =>
            {
                foreach (var network in service.Networks.OrderBy(n => n.Network, StringComparer.Ordinal))
                {
                    Key(e, network.Network);
                    if (network.Aliases.IsEmpty && network.Ipv4Address is null && network.Ipv6Address is null && network.Priority == 0 && network.MacAddress is null)
                    {
                        e.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                        continue;
                    }

                    Map(e, () =>
                    {
                        List(e, "aliases", network.Aliases);
                        Field(e, "ipv4_address", network.Ipv4Address);
                        Field(e, "ipv6_address", network.Ipv6Address);
                        Field(e, "mac_address", network.MacAddress);
                        Number(e, "priority", network.Priority == 0 ? null : network.Priority);
                    });
                }
            });
        }

        Maps(e, "ports", service.Ports, port =>
        {
            Number(e, "target", port.Target);
            Field(e, "published", port.Published);
            Field(e, "host_ip", port.HostIp);
            Field(e, "protocol", port.Protocol);
        });

        List(e, "profiles", service.Profiles);
        Field(e, "restart", service.Restart);
        Number(e, "scale", service.Scale == 1 ? null : service.Scale);
        Field(e, "stop_grace_period", service.StopGracePeriod);
        StringMap(e, "sysctls", service.Sysctls);
        Maps(e, "volumes", service.Volumes, volume =>
        {
            Field(e, "type", volume.Type);
            Field(e, "source", volume.Source.Length == 0 ? null : volume.Source);
            Field(e, "target", volume.Target);
            Flag(e, "read_only", volume.ReadOnly);
        });
    });

    private static void WriteNetwork(IEmitter e, ComposeNetwork network) => Map(e, () =>
    {
        Flag(e, "attachable", network.Attachable);
        Field(e, "driver", network.Driver);
        StringMap(e, "driver_opts", network.DriverOpts);
        Flag(e, "enable_ipv6", network.EnableIPv6);
        Flag(e, "external", network.External);
        Flag(e, "internal", network.Internal);
        if (network.Ipam is { } ipam)
        {
            Key(e, "ipam");
            Map(e, () =>
            {
                Maps(e, "config", ipam.Config, pool =>
                {
                    Field(e, "subnet", pool.Subnet);
                    Field(e, "ip_range", pool.IpRange);
                    Field(e, "gateway", pool.Gateway);
                    StringMap(e, "aux_addresses", pool.AuxAddresses);
                });

                Field(e, "driver", ipam.Driver);
            });
        }

        StringMap(e, "labels", network.Labels);
        Field(e, "name", network.Name);
    });

    private static void Map(IEmitter e, Action body)
    {
        e.Emit(new MappingStart());
        body();
        e.Emit(new MappingEnd());
    }

    private static void Sequence(IEmitter e, Action body)
    {
        e.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
        body();
        e.Emit(new SequenceEnd());
    }

    private static void Key(IEmitter e, string key) => String(e, key);

    /// <summary><c>key:</c> and a sequence of one mapping per item; nothing when there are none.</summary>
    private static void Maps<T>(IEmitter e, string key, System.Collections.Immutable.ImmutableArray<T> items, Action<T> writeItem)
    {
        if (items.IsEmpty)
        {
            return;
        }

        Key(e, key);
        Sequence(e, () =>
        {
            foreach (var item in items)
            {
                Map(e, () => writeItem(item));
            }
        });
    }

    private static void Field(IEmitter e, string key, string? value)
    {
        if (value is not null)
        {
            Key(e, key);
            String(e, value);
        }
    }

    private static void Field(IEmitter e, string key, TimeSpan? value) => Field(e, key, value is { } v ? ComposeDuration.Format(v) : null);

    private static void Number(IEmitter e, string key, int? value)
    {
        if (value is { } v)
        {
            Key(e, key);
            e.Emit(new Scalar(null, null, v.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false));
        }
    }

    private static void Flag(IEmitter e, string key, bool value)
    {
        if (value)
        {
            Key(e, key);
            e.Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
        }
    }

    private static void List(IEmitter e, string key, IEnumerable<string>? items)
    {
        if (items is null || (items is System.Collections.Immutable.ImmutableArray<string> { IsEmpty: true } && key is not ("command" or "entrypoint")))
        {
            return;
        }

        Key(e, key);
        Sequence(e, () =>
        {
            foreach (var item in items)
            {
                String(e, item);
            }
        });
    }

    private static void StringMap(IEmitter e, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        Key(e, key);
        Map(e, () =>
        {
            foreach (var (name, value) in values)
            {
                Key(e, name);
                String(e, value);
            }
        });
    }

    /// <summary>A string, quoted when plain YAML would read it as something else (a number, a boolean, null).</summary>
    private static void String(IEmitter e, string value) =>
        e.Emit(new Scalar(null, null, value, ReadsAsNonString(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, true, true));

    private static bool ReadsAsNonString(string value) => value.Length == 0 || NonStringPattern().IsMatch(value);

    [GeneratedRegex(@"^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|\d+(?::\d+)+)$")]
    private static partial Regex NonStringPattern();
}
