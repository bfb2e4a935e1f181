using System.Globalization;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// The flags <c>run</c> and <c>create</c> share, and the <c>POST /containers/create</c> body docker's CLI 28 sends for them at API
/// 1.45: the same keys in the same order, zero values included (see ContainerCreateBody).
/// </summary>
public static class ContainerCreateOptions
{
    public static readonly IReadOnlyList<FlagSpec> Flags =
    [
        new("cap-add", null, "list", "Add Linux capabilities"),
        new("cap-drop", null, "list", "Drop Linux capabilities"),
        new("dns", null, "list", "Set custom DNS servers"),
        new("dns-option", null, "list", "Set DNS options"),
        new("dns-search", null, "list", "Set custom DNS search domains"),
        new("entrypoint", null, "string", "Overwrite the default ENTRYPOINT of the image"),
        new("env", 'e', "list", "Set environment variables"),
        new("env-file", null, "list", "Read in a file of environment variables"),
        new("expose", null, "list", "Expose a port or a range of ports"),
        new("health-cmd", null, "string", "Command to run to check health"),
        new("health-interval", null, "duration", "Time between running the check (ms|s|m|h) (default 0s)"),
        new("health-retries", null, "int", "Consecutive failures needed to report unhealthy"),
        new("health-start-interval", null, "duration", "Time between running the check during the start period (ms|s|m|h) (default 0s)"),
        new("health-start-period", null, "duration", "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
        new("health-timeout", null, "duration", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
        new("hostname", 'h', "string", "Container host name"),
        new("init", null, null, "Run an init inside the container that forwards signals and reaps processes"),
        new("interactive", 'i', null, "Keep STDIN open even if not attached"),
        new("ip", null, "string", "IPv4 address (e.g., 172.30.100.104)"),
        new("ip6", null, "string", "IPv6 address (e.g., 2001:db8::33)"),
        new("label", 'l', "list", "Set meta data on a container"),
        new("mac-address", null, "string", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
        new("name", null, "string", "Assign a name to the container"),
        new("network", null, "network", "Connect a container to a network") { Alias = "net" },
        new("network-alias", null, "list", "Add network-scoped alias for the container") { Alias = "net-alias" },
        new("no-healthcheck", null, null, "Disable any container-specified HEALTHCHECK"),
        new("privileged", null, null, "Give extended privileges to this container"),
        new("publish", 'p', "list", "Publish a container's port(s) to the host"),
        new("publish-all", 'P', null, "Publish all exposed ports to random ports"),
        new("pull", null, "string", "Pull image before creating (\"always\", \"missing\", \"never\") (default \"missing\")"),
        new("read-only", null, null, "Mount the container's root filesystem as read only"),
        new("restart", null, "string", "Restart policy to apply when a container exits (default \"no\")"),
        new("rm", null, null, "Automatically remove the container and its associated anonymous volumes when it exits"),
        new("sysctl", null, "map", "Sysctl options (default map[])"),
        new("tty", 't', null, "Allocate a pseudo-TTY"),
        new("user", 'u', "string", "Username or UID (format: <name|uid>[:<group|gid>])"),
        new("volume", 'v', "list", "Bind mount a volume"),
        new("workdir", 'w', "string", "Working directory inside the container"),
    ];

    /// <summary>How the container will be used: <c>run</c> attaches (unless -d), <c>create</c> only records the attach flags.</summary>
    public sealed record Attach(bool Stdin, bool Stdout, bool Stderr, bool StdinOnce);

    /// <summary>Validates the flags (docker's words, exit 125) and writes the body.</summary>
    /// <exception cref="ArgumentException">A flag value docker would refuse.</exception>
    public static byte[] BuildBody(ParsedArgs args, Attach attach, (int Rows, int Columns)? consoleSize, Func<string, string?> environment)
    {
        var image = args.Positionals[0];
        var command = args.Positionals.Count > 1 ? args.Positionals.Skip(1).ToList() : null;
        var env = ReadEnv(args.All("env-file"), args.All("env"), environment);
        var ports = PortSpecs.Parse(args.All("publish"), args.All("expose"));
        var (restartName, restartCount) = ParseRestart(args.Last("restart") ?? "no");
        if (args.IsSet("rm") && restartName != "no")
        {
            throw new ArgumentException("conflicting options: cannot specify both --restart and --rm");
        }

        var (binds, volumes) = SplitVolumes(args.All("volume"));
        var (capAdd, capDrop) = EffectiveCapabilities(args.All("cap-add"), args.All("cap-drop"));
        var networks = args.All("network");
        var entrypoint = args.Last("entrypoint") switch
        {
            null => null,
            "" => new List<string> { "" },
            var e => [e],
        };

        var json = new GoJsonWriter().BeginObject()
            .Name("Hostname").String(args.Last("hostname") ?? "")
            .Name("Domainname").String("")
            .Name("User").String(args.Last("user") ?? "")
            .Name("AttachStdin").Bool(attach.Stdin)
            .Name("AttachStdout").Bool(attach.Stdout)
            .Name("AttachStderr").Bool(attach.Stderr);
        if (ports.Exposed.Count > 0)
        {
            json.Name("ExposedPorts").BeginObject();
            foreach (var port in ports.Exposed)
            {
                json.Name(port).BeginObject().EndObject();
            }

            json.EndObject();
        }

        json.Name("Tty").Bool(args.IsSet("tty"))
            .Name("OpenStdin").Bool(args.IsSet("interactive"))
            .Name("StdinOnce").Bool(attach.StdinOnce)
            .Name("Env").Strings(env.Count > 0 ? env : null)
            .Name("Cmd").Strings(command);
        WriteHealthcheck(json, args);
        json.Name("Image").String(image)
            .Name("Volumes").BeginObject();
        foreach (var volume in volumes)
        {
            json.Name(volume).BeginObject().EndObject();
        }

        json.EndObject()
            .Name("WorkingDir").String(args.Last("workdir") ?? "")
            .Name("Entrypoint").Strings(entrypoint)
            .Name("OnBuild").Null()
            .Name("Labels").StringMap(KeyValueArguments.ToMap(args.All("label")));

        json.Name("HostConfig").BeginObject()
            .Name("Binds").Strings(binds.Count > 0 ? binds : null)
            .Name("ContainerIDFile").String("")
            .Name("LogConfig").BeginObject().Name("Type").String("").Name("Config").BeginObject().EndObject().EndObject()
            .Name("NetworkMode").String(networks.Count > 0 ? networks[0] : "default")
            .Name("PortBindings").BeginObject();
        foreach (var (port, bindings) in ports.Bindings)
        {
            json.Name(port).BeginArray();
            foreach (var binding in bindings)
            {
                json.BeginObject().Name("HostIp").String(binding.HostIp).Name("HostPort").String(binding.HostPort).EndObject();
            }

            json.EndArray();
        }

        json.EndObject()
            .Name("RestartPolicy").BeginObject().Name("Name").String(restartName).Name("MaximumRetryCount").Number(restartCount).EndObject()
            .Name("AutoRemove").Bool(args.IsSet("rm"))
            .Name("VolumeDriver").String("")
            .Name("VolumesFrom").Null()
            .Name("ConsoleSize").BeginArray().Number(consoleSize?.Rows ?? 0).Number(consoleSize?.Columns ?? 0).EndArray()
            .Name("CapAdd").Strings(capAdd)
            .Name("CapDrop").Strings(capDrop)
            .Name("CgroupnsMode").String("")
            .Name("Dns").Strings(args.All("dns"))
            .Name("DnsOptions").Strings(args.All("dns-option"))
            .Name("DnsSearch").Strings(args.All("dns-search"))
            .Name("ExtraHosts").Null()
            .Name("GroupAdd").Null()
            .Name("IpcMode").String("")
            .Name("Cgroup").String("")
            .Name("Links").Null()
            .Name("OomScoreAdj").Number(0)
            .Name("PidMode").String("")
            .Name("Privileged").Bool(args.IsSet("privileged"))
            .Name("PublishAllPorts").Bool(args.IsSet("publish-all"))
            .Name("ReadonlyRootfs").Bool(args.IsSet("read-only"))
            .Name("SecurityOpt").Null()
            .Name("UTSMode").String("")
            .Name("UsernsMode").String("")
            .Name("ShmSize").Number(0)
            .Name("Isolation").String("");
        if (args.All("sysctl") is { Count: > 0 } sysctls)
        {
            json.Name("Sysctls").StringMap(KeyValueArguments.ToMap(sysctls));
        }

        WriteResources(json);
        json.Name("MaskedPaths").Null()
            .Name("ReadonlyPaths").Null();
        if (args.Has("init"))
        {
            json.Name("Init").Bool(args.IsSet("init"));
        }

        json.EndObject();
        WriteNetworkingConfig(json, args, networks);
        return json.EndObject().ToUtf8();
    }

    /// <summary>The resource limits berth has no flags for: docker's zero values, in docker's order.</summary>
    private static void WriteResources(GoJsonWriter json)
    {
        foreach (var name in (string[])["CpuShares", "Memory", "NanoCpus"])
        {
            json.Name(name).Number(0);
        }

        json.Name("CgroupParent").String("").Name("BlkioWeight").Number(0);
        foreach (var name in (string[])["BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps"])
        {
            json.Name(name).BeginArray().EndArray();
        }

        foreach (var name in (string[])["CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime"])
        {
            json.Name(name).Number(0);
        }

        json.Name("CpusetCpus").String("").Name("CpusetMems").String("")
            .Name("Devices").BeginArray().EndArray()
            .Name("DeviceCgroupRules").Null()
            .Name("DeviceRequests").Null()
            .Name("MemoryReservation").Number(0)
            .Name("MemorySwap").Number(0)
            .Name("MemorySwappiness").Number(-1)
            .Name("OomKillDisable").Bool(false)
            .Name("PidsLimit").Number(0)
            .Name("Ulimits").BeginArray().EndArray();
        foreach (var name in (string[])["CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth"])
        {
            json.Name(name).Number(0);
        }
    }

    /// <summary>
    /// docker's <c>parseNetworkOpts</c>: without <c>--network</c> one "default" endpoint; a single network with no per-endpoint
    /// options is left to the daemon (<c>{}</c>); <c>--ip</c>, <c>--ip6</c>, <c>--network-alias</c> and <c>--mac-address</c> go to the first.
    /// </summary>
    private static void WriteNetworkingConfig(GoJsonWriter json, ParsedArgs args, IReadOnlyList<string> networks)
    {
        var ip = args.Last("ip") ?? "";
        var ip6 = args.Last("ip6") ?? "";
        var aliases = args.All("network-alias");
        var mac = args.Last("mac-address") ?? "";
        var firstHasOptions = ip.Length > 0 || ip6.Length > 0 || aliases.Count > 0 || mac.Length > 0;
        var targets = networks.Count == 0 ? ["default"] : networks;
        if (networks.Distinct(StringComparer.Ordinal).Count() != networks.Count)
        {
            throw new ArgumentException($"network \"{networks.GroupBy(n => n, StringComparer.Ordinal).First(g => g.Count() > 1).Key}\" is specified multiple times");
        }

        json.Name("NetworkingConfig").BeginObject().Name("EndpointsConfig").BeginObject();
        for (var i = 0; i < targets.Count; i++)
        {
            var first = i == 0;
            if (first && networks.Count == 1 && !firstHasOptions)
            {
                continue;
            }

            json.Name(targets[i]).BeginObject().Name("IPAMConfig");
            if (first && (ip.Length > 0 || ip6.Length > 0))
            {
                json.BeginObject();
                if (ip.Length > 0)
                {
                    json.Name("IPv4Address").String(ip);
                }

                if (ip6.Length > 0)
                {
                    json.Name("IPv6Address").String(ip6);
                }

                json.EndObject();
            }
            else
            {
                json.Null();
            }

            json.Name("Links").Null()
                .Name("Aliases").Strings(first && aliases.Count > 0 ? aliases : null)
                .Name("MacAddress").String(first ? mac : "")
                .Name("DriverOpts").Null()
                .Name("GwPriority").Number(0);
            foreach (var name in (string[])["NetworkID", "EndpointID", "Gateway", "IPAddress"])
            {
                json.Name(name).String("");
            }

            json.Name("IPPrefixLen").Number(0)
                .Name("IPv6Gateway").String("")
                .Name("GlobalIPv6Address").String("")
                .Name("GlobalIPv6PrefixLen").Number(0)
                .Name("DNSNames").Null()
                .EndObject();
        }

        json.EndObject().EndObject();
    }

    /// <summary>Present only when a health flag is given; durations in nanoseconds, zero values left out.</summary>
    private static void WriteHealthcheck(GoJsonWriter json, ParsedArgs args)
    {
        var command = args.Last("health-cmd") ?? "";
        var interval = Duration(args, "health-interval");
        var timeout = Duration(args, "health-timeout");
        var startPeriod = Duration(args, "health-start-period");
        var startInterval = Duration(args, "health-start-interval");
        var retries = args.Last("health-retries") is { } r
            ? int.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw InvalidValue(r, "health-retries", "strconv.ParseInt: parsing \"" + r + "\": invalid syntax")
            : 0;
        var any = command.Length > 0 || interval != 0 || timeout != 0 || startPeriod != 0 || retries != 0 || startInterval != 0;
        if (args.IsSet("no-healthcheck"))
        {
            if (any)
            {
                throw new ArgumentException("--no-healthcheck conflicts with --health-* options");
            }

            json.Name("Healthcheck").BeginObject().Name("Test").Strings(["NONE"]).EndObject();
            return;
        }

        if (!any)
        {
            return;
        }

        foreach (var (name, value) in (ReadOnlySpan<(string, long)>)[("interval", interval), ("timeout", timeout), ("start-period", startPeriod), ("start-interval", startInterval)])
        {
            if (value < 0)
            {
                throw new ArgumentException($"--health-{name} cannot be negative");
            }
        }

        if (retries < 0)
        {
            throw new ArgumentException("--health-retries cannot be negative");
        }

        json.Name("Healthcheck").BeginObject();
        if (command.Length > 0)
        {
            json.Name("Test").Strings(["CMD-SHELL", command]);
        }

        foreach (var (name, value) in (ReadOnlySpan<(string, long)>)[("Interval", interval), ("Timeout", timeout), ("StartPeriod", startPeriod), ("StartInterval", startInterval), ("Retries", retries)])
        {
            if (value != 0)
            {
                json.Name(name).Number(value);
            }
        }

        json.EndObject();
    }

    private static long Duration(ParsedArgs args, string flag)
    {
        var text = args.Last(flag);
        if (text is null)
        {
            return 0;
        }

        return GoDuration.TryParse(text, out var nanoseconds) ? nanoseconds : throw InvalidValue(text, flag, $"time: invalid duration \"{text}\"");
    }

    private static ArgumentException InvalidValue(string value, string flag, string reason) => new($"invalid argument \"{value}\" for \"--{flag}\" flag: {reason}");

    /// <summary>docker's env order: every --env-file line first, then -e; <c>NAME</c> alone takes NAME's value from here if set.</summary>
    public static List<string> ReadEnv(IEnumerable<string> files, IEnumerable<string> values, Func<string, string?> environment)
    {
        var env = new List<string>();
        foreach (var file in files)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"open {file}: {e.Message}", e);
            }

            foreach (var raw in lines)
            {
                var line = raw.TrimStart();
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    env.Add(ExpandEnv(line, environment));
                }
            }
        }

        env.AddRange(values.Select(v => ExpandEnv(v, environment)));
        return env;
    }

    private static string ExpandEnv(string value, Func<string, string?> environment)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals == 0 || value.Length == 0)
        {
            throw new ArgumentException($"invalid environment variable: {value}");
        }

        return equals < 0 && environment(value) is { } set ? value + "=" + set : value;
    }

    /// <summary>docker's <c>ParseRestartPolicy</c>: no, always, unless-stopped, on-failure[:max-retries].</summary>
    public static (string Name, long MaximumRetryCount) ParseRestart(string policy)
    {
        var colon = policy.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? policy : policy[..colon];
        long count = 0;
        if (colon >= 0 && !long.TryParse(policy[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out count))
        {
            throw new ArgumentException("invalid restart policy format: maximum retry count must be an integer");
        }

        return name switch
        {
            "" or "no" when colon < 0 => ("no", 0),
            "always" or "unless-stopped" when colon < 0 => (name, 0),
            "on-failure" => (name, count),
            "no" or "always" or "unless-stopped" => throw new ArgumentException($"invalid restart policy: maximum retry count can only be used with 'on-failure'"),
            _ => throw new ArgumentException($"invalid restart policy format: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"),
        };
    }

    /// <summary><c>-v host:container[:mode]</c> is a bind; <c>-v /path</c> alone an anonymous volume (Config.Volumes).</summary>
    private static (List<string> Binds, List<string> Volumes) SplitVolumes(IEnumerable<string> specs)
    {
        var binds = new List<string>();
        var volumes = new List<string>();
        foreach (var spec in specs)
        {
            (spec.Contains(':', StringComparison.Ordinal) ? binds : volumes).Add(spec);
        }

        return (binds, volumes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>docker's <c>EffectiveCapAddCapDrop</c>: names upper-cased with <c>CAP_</c>; ALL added wins; dropping what is added is ignored.</summary>
    private static (List<string>? Add, List<string>? Drop) EffectiveCapabilities(IEnumerable<string> add, IEnumerable<string> drop)
    {
        const string all = "ALL";
        static List<string> Normalize(IEnumerable<string> caps) => caps
            .Select(c => c.Trim().ToUpperInvariant())
            .Select(c => c == all || c.StartsWith("CAP_", StringComparison.Ordinal) ? c : "CAP_" + c)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var adds = Normalize(add);
        var drops = Normalize(drop);
        List<string> effectiveDrop = adds.Contains(all) ? [] : drops.Contains(all) ? [all] : drops.Where(d => !adds.Contains(d)).ToList();
        List<string> effectiveAdd = adds.Contains(all) ? [all] : adds;
        return (effectiveAdd.Count > 0 ? effectiveAdd : null, effectiveDrop.Count > 0 ? effectiveDrop : null);
    }
}
