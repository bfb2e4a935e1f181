using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Linux.Sysctl;

/// <summary>
/// The <c>net.*</c> sysctls of one network namespace. For a namespace handle every access runs on a
/// <see cref="NamespaceRunner"/> worker inside it; <see cref="CurrentThread"/> reads and writes those of
/// the calling thread's namespace (the host, for ordinary threads).
/// </summary>
public sealed class NamespaceSysctls
{
    /// <summary>The conf "interface" that applies to every interface at once.</summary>
    public const string AllInterfaces = "all";

    /// <summary>The conf "interface" whose values new interfaces inherit.</summary>
    public const string DefaultInterface = "default";

    private const int MaxArpIgnore = 8; // Documentation/networking/ip-sysctl.rst: arp_ignore 0-3, 8
    private const int MaxArpAnnounce = 2; // ip-sysctl.rst: arp_announce 0-2
    private const int MaxAcceptRa = 2; // ip-sysctl.rst: accept_ra 0-2

    private readonly NetnsHandle? target;
    private readonly NamespaceRunner? runner;

    /// <summary>Sysctls of <paramref name="target"/>, accessed through <paramref name="runner"/> (default: shared).</summary>
    public NamespaceSysctls(NetnsHandle target, NamespaceRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        this.target = target;
        this.runner = runner ?? NamespaceRunner.Shared;
    }

    private NamespaceSysctls()
    {
    }

    /// <summary>Sysctls of whichever namespace the calling thread is in.</summary>
    public static NamespaceSysctls CurrentThread { get; } = new();

    /// <summary>Reads a key such as <c>net.ipv4.ip_forward</c>; NotFound when the namespace lacks it.</summary>
    public string Read(string key)
    {
        string path = SysctlKey.ToPath(key);
        return InNamespace(() => SysctlFile.Read(key, path));
    }

    /// <summary>Writes a key such as <c>net.ipv4.ip_forward</c>.</summary>
    public void Write(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string path = SysctlKey.ToPath(key);
        InNamespace(() =>
        {
            SysctlFile.Write(key, path, value);
            return true;
        });
    }

    public bool GetIPv4Forwarding() => ReadFlag("net.ipv4.ip_forward");

    public void SetIPv4Forwarding(bool enabled) => WriteFlag("net.ipv4.ip_forward", enabled);

    public bool GetIPv6Forwarding() => ReadFlag("net.ipv6.conf.all.forwarding");

    public void SetIPv6Forwarding(bool enabled) => WriteFlag("net.ipv6.conf.all.forwarding", enabled);

    public bool GetRouteLocalnet(string interfaceName = AllInterfaces) => ReadFlag(IPv4Conf(interfaceName, "route_localnet"));

    public void SetRouteLocalnet(string interfaceName, bool enabled) => WriteFlag(IPv4Conf(interfaceName, "route_localnet"), enabled);

    public int GetArpIgnore(string interfaceName) => ReadNumber(IPv4Conf(interfaceName, "arp_ignore"));

    public void SetArpIgnore(string interfaceName, int mode) => WriteNumber(IPv4Conf(interfaceName, "arp_ignore"), mode, MaxArpIgnore);

    public int GetArpAnnounce(string interfaceName) => ReadNumber(IPv4Conf(interfaceName, "arp_announce"));

    public void SetArpAnnounce(string interfaceName, int mode) => WriteNumber(IPv4Conf(interfaceName, "arp_announce"), mode, MaxArpAnnounce);

    public bool GetDisableIPv6(string interfaceName) => ReadFlag(IPv6Conf(interfaceName, "disable_ipv6"));

    public void SetDisableIPv6(string interfaceName, bool disabled) => WriteFlag(IPv6Conf(interfaceName, "disable_ipv6"), disabled);

    public int GetAcceptRa(string interfaceName) => ReadNumber(IPv6Conf(interfaceName, "accept_ra"));

    public void SetAcceptRa(string interfaceName, int mode) => WriteNumber(IPv6Conf(interfaceName, "accept_ra"), mode, MaxAcceptRa);

    /// <summary>Builds <c>net.ipv4.conf.IF.setting</c>; a '.' in the interface name becomes '/' as in sysctl(8).</summary>
    internal static string IPv4Conf(string interfaceName, string setting) => $"net.ipv4.conf.{ConfComponent(interfaceName)}.{setting}";

    internal static string IPv6Conf(string interfaceName, string setting) => $"net.ipv6.conf.{ConfComponent(interfaceName)}.{setting}";

    private static string ConfComponent(string interfaceName)
    {
        LinkName.Validate(interfaceName);
        return interfaceName.Replace('.', '/');
    }

    private bool ReadFlag(string key) => ReadNumber(key) != 0;

    private void WriteFlag(string key, bool value) => Write(key, value ? "1" : "0");

    private int ReadNumber(string key)
    {
        string text = Read(key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new BerthException(ErrorKind.Internal, $"sysctl {key} holds \"{text}\", not a number");
        }

        return value;
    }

    private void WriteNumber(string key, int value, int max)
    {
        if (value < 0 || value > max)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"value {value} for sysctl {key} is out of range; use 0 to {max}");
        }

        Write(key, value.ToString(CultureInfo.InvariantCulture));
    }

    private T InNamespace<T>(Func<T> work) => target is null ? work() : runner!.Run(target, work);
}
