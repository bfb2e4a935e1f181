using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Runtime.Containers;

/// <summary>
/// The RLIMIT_NOFILE containers get: Docker's 1048576, unless this process lacks CAP_SYS_RESOURCE
/// (some sandboxes drop it even for root) — then runc cannot raise the hard limit above ours and
/// <c>runc create</c> fails with EPERM, so the limit is clamped to our own hard limit.
/// </summary>
public static class NoFileLimit
{
    /// <summary>CAP_SYS_RESOURCE's bit in the capability sets (linux/capability.h).</summary>
    private const int CapSysResource = 24;

    public static ulong ForContainers()
    {
        if (HasSysResource())
        {
            return OciSpecBuilder.DefaultNoFile;
        }

        if (Libc.Getrlimit(Libc.RLIMIT_NOFILE, out Libc.Rlimit limit) != 0)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(ErrorKind.Internal, $"cannot read this process's open-file limit ({errno}: {Libc.Describe(errno)})");
        }

        return Math.Min(OciSpecBuilder.DefaultNoFile, limit.Maximum);
    }

    private static bool HasSysResource()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong effective)
            && (effective & (1UL << CapSysResource)) != 0;
    }
}
