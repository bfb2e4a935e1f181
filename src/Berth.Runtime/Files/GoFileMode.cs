using Berth.Linux.Filesystems;

namespace Berth.Runtime.Files;

/// <summary>
/// Go's <c>os.FileMode</c> bits (io/fs <c>FileMode</c>), which Docker's path stat header carries: the type as high
/// bits, the permissions as the low nine, setuid, setgid and sticky as bits of their own (Go's
/// <c>fillFileStatFromSys</c>). The docker CLI decodes the header with Go and tests these bits.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;

    /// <summary>rwxrwxrwx.</summary>
    public const uint Permissions = 0x1FF;

    // st_mode's setuid, setgid and sticky bits (sys/stat.h).
    private const uint UnixSetuid = 0x800;
    private const uint UnixSetgid = 0x400;
    private const uint UnixSticky = 0x200;

    /// <summary>The Go mode of a Unix <c>st_mode</c>.</summary>
    public static uint FromUnix(uint mode)
    {
        uint go = mode & Permissions;
        go |= (mode & NodeStatus.TypeMask) switch
        {
            NodeStatus.BlockDevice => Device,
            NodeStatus.CharacterDevice => Device | CharDevice,
            NodeStatus.Directory => Dir,
            NodeStatus.Fifo => NamedPipe,
            NodeStatus.Symlink => Symlink,
            NodeStatus.Socket => Socket,
            _ => 0,
        };
        if ((mode & UnixSetuid) != 0)
        {
            go |= Setuid;
        }

        if ((mode & UnixSetgid) != 0)
        {
            go |= Setgid;
        }

        if ((mode & UnixSticky) != 0)
        {
            go |= Sticky;
        }

        return go;
    }
}
