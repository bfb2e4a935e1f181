using System.Collections.Immutable;
using System.CommandLine;
using System.Net;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Network.Ipam;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>berthd's flags, as dockerd spells them.</summary>
internal static class DaemonCommandLine
{
    /// <summary>Senders wait a quarter of the interval before using a new key; every node must have it by then.</summary>
    private static readonly TimeSpan MinKeyRotation = TimeSpan.FromSeconds(4);

    private static readonly Option<string[]> Host = new("--host", "-H")
    {
        Description = "Daemon socket to listen on (unix:///path, or tcp://IP:PORT with --tlsverify); repeatable",
        DefaultValueFactory = _ => [DaemonOptions.DefaultSocket],
    };

    private static readonly Option<string> Root = new("--root")
    {
        Description = "Root directory of persistent state",
        DefaultValueFactory = _ => "/var/lib/berth",
    };

    private static readonly Option<string> ExecRoot = new("--exec-root")
    {
        Description = "Root directory of runtime state",
        DefaultValueFactory = _ => "/run/berth",
    };

    private static readonly Option<string> LogLevelOption = new("--log-level", "-l")
    {
        Description = "Logging level: debug, info, warn, error, fatal",
        DefaultValueFactory = _ => "info",
    };

    private static readonly Option<string[]> AddressPools = new("--default-address-pool")
    {
        Description = "Default address pool for networks: base=CIDR,size=N; repeatable",
    };

    private static readonly Option<string> Firewall = new("--firewall")
    {
        Description = "Firewall backend: nftables or none",
        DefaultValueFactory = _ => "nftables",
    };

    private static readonly Option<string[]> Dns = new("--dns")
    {
        Description = "Upstream DNS server of the embedded resolver (default: the host's /etc/resolv.conf nameservers); repeatable",
    };

    private static readonly Option<string[]> AddRuntime = new("--add-runtime")
    {
        Description = "Register an OCI runtime containers may choose with --runtime: NAME=PATH; repeatable (runc, and crun when installed, are known)",
    };

    private static readonly Option<string> DefaultRuntime = new("--default-runtime")
    {
        Description = "The OCI runtime of containers created without --runtime",
        DefaultValueFactory = _ => OciRuntimes.Runc,
    };

    private static readonly Option<string> LogDriver = new("--log-driver")
    {
        Description = "The log driver of containers created without --log-driver: json-file (the default), local or none",
        DefaultValueFactory = _ => LogDrivers.JsonFile,
    };

    private static readonly Option<string[]> LogOpt = new("--log-opt")
    {
        Description = "An option of the default log driver: KEY=VALUE (max-size=10m, max-file=3, compress=true, …); repeatable",
    };

    private static readonly Option<string> ClusterStore = new("--cluster-store")
    {
        Description = "Keep the swarm in an etcd you run: etcd://HOST:PORT[,HOST:PORT...] (etcds:// or https:// for TLS); every node of the swarm needs it",
    };

    private static readonly Option<string[]> ClusterStoreOpt = new("--cluster-store-opt")
    {
        Description = "An option of --cluster-store: kv.cacertfile=PATH, kv.certfile=PATH, kv.keyfile=PATH (TLS to etcd); repeatable",
    };

    private static readonly Option<string> OverlayKeyRotation = new("--overlay-key-rotation")
    {
        Description = "How often managers give encrypted overlay networks a new key: a whole number of hours, minutes or seconds (12h, 30m, 10s)",
        DefaultValueFactory = _ => "12h",
    };

    private static readonly Option<string[]> DhcpLeaseFile = new("--dhcp-lease-file")
    {
        Description = "A DHCP server's lease file (dnsmasq or ISC dhcpd) that berth doctor reads to find macvlan containers' addresses leased to others; repeatable (default: /var/lib/misc/dnsmasq.leases, /var/lib/dhcp/dhcpd.leases)",
    };

    private static readonly Option<string[]> InsecureRegistry = new("--insecure-registry")
    {
        Description = "A registry reached over plain HTTP (no TLS): its host[:port], or a CIDR holding its address (e.g. 10.77.0.0/16); repeatable. Loopback registries always are",
    };

    private static readonly Option<string> UsernsRemapOption = new("--userns-remap")
    {
        Description = "Run containers in user namespaces: default (the user berthremap, made when missing), USER[:GROUP] or UID[:GID] with ranges in /etc/subuid and /etc/subgid; container root is the range's first id",
    };

    private static readonly Option<bool?> Tls = new("--tls")
    {
        Description = "Use TLS on tcp:// listeners; implied by --tlsverify. --tls=false listens on TCP in the clear (anyone who reaches it is root here)",
    };

    private static readonly Option<bool?> TlsVerify = new("--tlsverify")
    {
        Description = "Use TLS on tcp:// listeners and require clients' certificates signed by --tlscacert",
    };

    private static readonly Option<string> TlsCaCert = new("--tlscacert")
    {
        Description = "The CA that signs clients' certificates (default: $DOCKER_CERT_PATH or ~/.docker, ca.pem)",
    };

    private static readonly Option<string> TlsCert = new("--tlscert")
    {
        Description = "The server's TLS certificate (default: $DOCKER_CERT_PATH or ~/.docker, cert.pem)",
    };

    private static readonly Option<string> TlsKey = new("--tlskey")
    {
        Description = "The server's TLS key (default: $DOCKER_CERT_PATH or ~/.docker, key.pem)",
    };

    public static RootCommand Build(Func<DaemonOptions, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand("berthd: the Berth daemon, serving the Docker Engine API")
        {
            Host, Root, ExecRoot, LogLevelOption, AddressPools, Firewall, Dns, AddRuntime, DefaultRuntime, LogDriver, LogOpt, ClusterStore, ClusterStoreOpt, OverlayKeyRotation, DhcpLeaseFile, InsecureRegistry, UsernsRemapOption,
            Tls, TlsVerify, TlsCaCert, TlsCert, TlsKey,
        };
        command.SetAction((result, cancellationToken) => run(Options(result), cancellationToken));
        return command;
    }

    private static DaemonOptions Options(ParseResult result)
    {
        var problems = new List<string>();
        var hosts = result.GetValue(Host) ?? [];
        foreach (string host in hosts)
        {
            try
            {
                Api.Hosting.ListenAddress.Parse(host);
            }
            catch (BerthException e)
            {
                problems.Add($"--host {host}: {e.Message}");
            }
        }

        var (tls, clearTcp) = TcpSecurity(result, hosts, problems);

        var pools = ImmutableArray.CreateBuilder<DefaultAddressPool>();
        foreach (string pool in result.GetValue(AddressPools) ?? [])
        {
            try
            {
                pools.Add(DefaultAddressPool.Parse(pool));
            }
            catch (BerthException e)
            {
                problems.Add($"--default-address-pool {pool}: {e.Message}");
            }
        }

        var dns = ImmutableArray.CreateBuilder<IPAddress>();
        foreach (string server in result.GetValue(Dns) ?? [])
        {
            if (IPAddress.TryParse(server, out var address))
            {
                dns.Add(address);
            }
            else
            {
                problems.Add($"--dns {server}: not an IP address; give the address of a DNS server, e.g. --dns 192.0.2.53");
            }
        }

        string level = result.GetValue(LogLevelOption) ?? "info";
        LogLevel? logLevel = level switch
        {
            "debug" => LogLevel.Debug,
            "trace" => LogLevel.Trace,
            "info" => LogLevel.Information,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "fatal" => LogLevel.Critical,
            _ => null,
        };
        if (logLevel is null)
        {
            problems.Add($"--log-level {level}: use one of debug, info, warn, error, fatal");
        }

        string firewall = result.GetValue(Firewall) ?? "nftables";
        FirewallMode? mode = firewall switch
        {
            "nftables" => FirewallMode.Nftables,
            "none" => FirewallMode.None,
            _ => null,
        };
        if (mode is null)
        {
            problems.Add($"--firewall {firewall}: use nftables or none");
        }

        OciRuntimes runtimes = OciRuntimes.RuncOnly;
        try
        {
            runtimes = OciRuntimes.Configure(result.GetValue(AddRuntime) ?? [], result.GetValue(DefaultRuntime), OciRuntimes.Locate);
        }
        catch (BerthException e)
        {
            problems.Add(e.Message);
        }

        LogConfig logConfig = LogConfig.Default;
        try
        {
            logConfig = DaemonLogConfig(result.GetValue(LogDriver) ?? LogDrivers.JsonFile, result.GetValue(LogOpt) ?? []);
        }
        catch (BerthException e)
        {
            problems.Add(e.Message);
        }

        ExternalClusterStore? clusterStore = null;
        string[] clusterStoreOptions = result.GetValue(ClusterStoreOpt) ?? [];
        if (result.GetValue(ClusterStore) is { } clusterStoreUrl)
        {
            try
            {
                clusterStore = ExternalClusterStore.Parse(clusterStoreUrl, clusterStoreOptions);
            }
            catch (BerthException e)
            {
                problems.Add(e.Message);
            }
        }
        else if (clusterStoreOptions.Length > 0)
        {
            problems.Add($"--cluster-store-opt {clusterStoreOptions[0]}: options of a cluster store need --cluster-store etcd://HOST:PORT");
        }

        string rotationText = result.GetValue(OverlayKeyRotation) ?? "12h";
        if (!TryParseDuration(rotationText, out var rotation) || rotation < MinKeyRotation)
        {
            problems.Add($"--overlay-key-rotation {rotationText}: give a duration of at least {MinKeyRotation.TotalSeconds:0}s, e.g. 12h");
        }

        var leaseFiles = result.GetValue(DhcpLeaseFile) ?? [];
        foreach (string file in leaseFiles.Where(f => !Path.IsPathFullyQualified(f)))
        {
            problems.Add($"--dhcp-lease-file {file}: give an absolute path, e.g. --dhcp-lease-file /var/lib/misc/dnsmasq.leases");
        }

        var registries = Berth.Runtime.Images.RegistryEndpoint.Default;
        try
        {
            registries = Berth.Runtime.Images.RegistryEndpoint.WithInsecure(result.GetValue(InsecureRegistry) ?? []);
        }
        catch (BerthException e)
        {
            problems.Add("--insecure-registry: " + e.Message);
        }

        Berth.Runtime.Users.UsernsRemap? usernsRemap = null;
        if (result.GetValue(UsernsRemapOption) is { } remapText)
        {
            try
            {
                usernsRemap = Berth.Runtime.Users.UsernsRemap.Parse(remapText);
            }
            catch (BerthException e)
            {
                problems.Add(e.Message);
            }
        }

        string root = Path.GetFullPath(result.GetValue(Root) ?? "/var/lib/berth");
        string execRoot = Path.GetFullPath(result.GetValue(ExecRoot) ?? "/run/berth");
        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems));
        }

        return new DaemonOptions
        {
            Hosts = [.. hosts],
            Root = root,
            ExecRoot = execRoot,
            LogLevel = logLevel!.Value,
            DefaultAddressPools = pools.ToImmutable(),
            Firewall = mode!.Value,
            Dns = dns.ToImmutable(),
            Runtimes = runtimes,
            LogConfig = logConfig,
            ClusterStore = clusterStore,
            OverlayKeyRotation = rotation,
            DhcpLeaseFiles = [.. leaseFiles],
            Registries = registries,
            UsernsRemap = usernsRemap,
            Tls = tls,
            UnauthenticatedTcp = clearTcp,
        };
    }

    /// <summary>
    /// dockerd's TCP rules (Docker 27 on): <c>--tlsverify</c> (TLS, clients' certificates checked) or <c>--tls</c> (TLS,
    /// anyone may connect); neither is refused unless the user says <c>--tls=false</c> or <c>--tlsverify=false</c>.
    /// Returns the TLS to serve and the TCP listeners nobody authenticates (to warn about).
    /// </summary>
    private static (Api.Hosting.ApiTls? Tls, ImmutableArray<string> Unauthenticated) TcpSecurity(ParseResult result, string[] hosts, List<string> problems)
    {
        bool? tlsFlag = result.GetValue(Tls);
        bool? verifyFlag = result.GetValue(TlsVerify);
        bool verify = verifyFlag == true;
        bool tls = tlsFlag == true || verify;
        string[] tcp = [.. hosts.Where(h => h.StartsWith("tcp://", StringComparison.Ordinal))];
        if (tcp.Length > 0 && !tls && tlsFlag is null && verifyFlag is null)
        {
            problems.Add($"--host {tcp[0]}: listening on TCP without TLS gives root on this machine to everyone who can reach it; " +
                "give --tlsverify with --tlscacert, --tlscert and --tlskey (clients need a certificate from that CA), or --tls=false to listen in the clear anyway");
            return (null, []);
        }

        Api.Hosting.ApiTls? loaded = null;
        if (tls)
        {
            string certificates = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH") is { Length: > 0 } path
                ? path
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            try
            {
                loaded = Api.Hosting.ApiTls.Load(
                    result.GetValue(TlsCert) ?? Path.Combine(certificates, "cert.pem"),
                    result.GetValue(TlsKey) ?? Path.Combine(certificates, "key.pem"),
                    verify ? result.GetValue(TlsCaCert) ?? Path.Combine(certificates, "ca.pem") : null);
            }
            catch (BerthException e)
            {
                problems.Add(e.Message);
            }
        }

        return (loaded, verify ? [] : [.. tcp]);
    }

    /// <summary><c>--log-driver</c> and its <c>--log-opt KEY=VALUE</c>s, checked as a container's are.</summary>
    private static LogConfig DaemonLogConfig(string driver, string[] options)
    {
        var pairs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (string option in options)
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"--log-opt {option}: give KEY=VALUE, e.g. --log-opt max-size=10m");
            }

            pairs[option[..equals]] = option[(equals + 1)..];
        }

        var config = new LogConfig(driver, pairs.ToImmutable());
        try
        {
            LogDrivers.Check(config);
        }
        catch (BerthException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"--log-driver {driver}: {e.Message}");
        }

        return config;
    }

    /// <summary>A whole number and a unit: <c>12h</c>, <c>30m</c>, <c>10s</c>.</summary>
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
        {
            return false;
        }

        duration = text[^1] switch
        {
            'h' => TimeSpan.FromHours(number),
            'm' => TimeSpan.FromMinutes(number),
            's' => TimeSpan.FromSeconds(number),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }
}
