using Berth.Core.Errors;

namespace Berth.Linux.Sysctl;

/// <summary>
/// Dotted sysctl keys (<c>net.ipv4.ip_forward</c>) and their files under <c>/proc/sys</c>. Only
/// <c>net.</c> keys: those are the per-network-namespace ones. As in sysctl(8), a '/' inside a component
/// stands for a '.' in the file name (<c>net.ipv4.conf.eth0/10.forwarding</c> for interface eth0.10),
/// so no component can climb out of /proc/sys/net.
/// </summary>
public static class SysctlKey
{
    public const string Root = "/proc/sys";

    private const string RequiredPrefix = "net";

    /// <summary>Returns what is wrong with <paramref name="key"/>, or null when it is usable.</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "sysctl key is empty; give one such as net.ipv4.ip_forward";
        }

        string[] components = key.Split('.');
        if (components.Length < 2 || components[0] != RequiredPrefix)
        {
            return $"sysctl key \"{key}\" is not a network key; only keys under \"net.\" (per network namespace) are allowed";
        }

        foreach (string component in components)
        {
            if (component.Length == 0)
            {
                return $"sysctl key \"{key}\" has an empty component; write it as net.a.b without doubled or trailing dots";
            }

            string file = component.Replace('/', '.');
            if (file is "." or "..")
            {
                return $"sysctl key \"{key}\" has the component \"{component}\", which would leave /proc/sys/net; use real names only";
            }

            foreach (char c in component)
            {
                if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
                {
                    return $"sysctl key \"{key}\" contains a whitespace, control or backslash character; use names as sysctl -a prints them";
                }
            }
        }

        return null;
    }

    /// <summary>The file under /proc/sys for <paramref name="key"/>; throws InvalidArgument when unusable.</summary>
    public static string ToPath(string key)
    {
        if (Problem(key) is { } problem)
        {
            throw new BerthException(ErrorKind.InvalidArgument, problem);
        }

        return Root + "/" + string.Join('/', key.Split('.').Select(static c => c.Replace('/', '.')));
    }
}
