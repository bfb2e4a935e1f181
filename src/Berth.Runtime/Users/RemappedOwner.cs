using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Namespaces;

namespace Berth.Runtime.Users;

/// <summary>
/// Gives files the container must own as its root — the writable layer's top, Berth's /etc files, a named volume's
/// directory — to the remapped root's host ids (moby's <c>idtools.MkdirAllAndChown</c> with the root identity).
/// </summary>
public static class RemappedOwner
{
    /// <summary>Makes <paramref name="path"/> (not a symlink's target) the container root's.</summary>
    public static void GiveToRoot(IdentityMapping mapping, string path)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (Libc.Lchown(path, (int)mapping.RootUid, (int)mapping.RootGid) != 0)
        {
            Errno errno = Libc.LastErrno();
            throw new BerthException(ErrorKind.Internal,
                $"cannot give {path} to the remapped root {mapping.RootUid}:{mapping.RootGid} (--userns-remap): {Libc.Describe(errno)} ({errno})");
        }
    }
}
