using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Namespaces;

/// <summary>
/// Persistent, named network namespaces: each one an empty file in <see cref="Directory"/> with the
/// namespace bind-mounted onto it, made the way iproute2's <c>ip netns add</c> makes them (so
/// <c>ip netns</c> tools interoperate when the directory is <c>/run/netns</c>).
/// </summary>
public sealed class NamespaceManager
{
    /// <summary>Where Berth keeps its namespaces unless told otherwise.</summary>
    public const string DefaultDirectory = "/run/berth/netns";

    /// <summary>The directory, beside <see cref="Directory"/>, of user namespaces that own network namespaces of the same names.</summary>
    public const string UserNamespaceDirectoryName = "userns";

    /// <summary>rwxr-xr-x, as iproute2 creates /run/netns.</summary>
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly NamespaceRunner runner;
    private readonly object setupGate = new();
    private volatile bool directoryReady;

    public NamespaceManager(string directory = DefaultDirectory, NamespaceRunner? runner = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Path.IsPathFullyQualified(directory))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"network namespace directory \"{directory}\" is not an absolute path; give one such as {DefaultDirectory}");
        }

        Directory = System.IO.Path.TrimEndingDirectorySeparator(directory);
        this.runner = runner ?? NamespaceRunner.Shared;
    }

    /// <summary>The runner that creates namespaces and runs work inside them.</summary>
    public NamespaceRunner Runner => runner;

    /// <summary>The directory holding the namespace files.</summary>
    public string Directory { get; }

    /// <summary>The file of namespace <paramref name="name"/> (whether or not it exists).</summary>
    public string PathOf(string name)
    {
        NamespaceName.Validate(name);
        return System.IO.Path.Join(Directory, name);
    }

    /// <summary>Creates namespace <paramref name="name"/> and returns a handle to it.</summary>
    public NetnsHandle Create(string name) => Create(name, static () => 0).Handle;

    /// <summary>
    /// Creates namespace <paramref name="name"/>, running <paramref name="whileInside"/> on the worker
    /// thread while it is inside the new namespace (e.g. to open a netlink socket there). If anything
    /// fails, nothing is left behind: no file, no mount, and an IDisposable result is disposed.
    /// </summary>
    public (NetnsHandle Handle, T Inside) Create<T>(string name, Func<T> whileInside)
    {
        ArgumentNullException.ThrowIfNull(whileInside);
        string path = PathOf(name);
        EnsureDirectory();

        // O_EXCL makes creation the single point that decides who owns the name; mode 0 as in iproute2.
        int placeholder = Libc.Open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        if (placeholder < 0)
        {
            Errno errno = Libc.LastErrno();
            throw errno == Errno.EEXIST
                ? new KernelException(errno, $"network namespace \"{name}\" already exists in {Directory}; choose another name or delete it first")
                : new KernelException(errno, $"creating network namespace file {path}");
        }

        Libc.Close(placeholder);

        NetnsHandle? handle = null;
        T inside = default!;
        bool insideMade = false;
        try
        {
            (handle, inside) = runner.RunInNewNamespace(() =>
            {
                NetnsHandle opened = NetnsHandle.OpenCurrentThread();
                try
                {
                    return (opened, whileInside());
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            });
            insideMade = true;

            // The worker is already back home; /proc/self/fd/N names the same open file from any thread.
            if (Libc.Mount($"/proc/self/fd/{handle.Fd}", path, "none", Libc.MS_BIND, 0) != 0)
            {
                throw KernelException.FromLastError($"bind-mounting network namespace \"{name}\" onto {path}");
            }

            handle.Rename(path);
            Reliability.CrashPoints.Pass("netns create");
            return (handle, inside);
        }
        catch
        {
            handle?.Dispose();
            if (insideMade && inside is IDisposable disposable)
            {
                disposable.Dispose();
            }

            Libc.Unlink(path);
            throw;
        }
    }

    /// <summary>
    /// Where the user namespace owning network namespace file <paramref name="networkNamespacePath"/> is kept when Berth made
    /// the two together (<see cref="CreateOwned"/>): the same name in a <c>userns</c> directory beside the namespaces'.
    /// </summary>
    public static string UserNamespacePathFor(string networkNamespacePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(networkNamespacePath);
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(networkNamespacePath)) ?? "/";
        return System.IO.Path.Join(directory, UserNamespaceDirectoryName, System.IO.Path.GetFileName(networkNamespacePath));
    }

    /// <summary>
    /// Creates namespace <paramref name="name"/> owned by a new user namespace of <paramref name="mapping"/> (kept at
    /// <see cref="UserNamespacePathFor"/>), running <paramref name="whileInside"/> inside the network namespace as
    /// <see cref="Create{T}"/> does. If anything fails, neither namespace is left behind.
    /// </summary>
    public (NetnsHandle Handle, T Inside) CreateOwned<T>(string name, IdentityMapping mapping, Func<T> whileInside)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return MakeOwned(name, (userPath, path) => OwnedNetworkNamespace.Make(mapping, userPath, path), whileInside);
    }

    /// <summary>
    /// Creates namespace <paramref name="name"/> owned by the existing user namespace at <paramref name="userNamespace"/>
    /// (kept at <see cref="UserNamespacePathFor"/> as long as this one), as <see cref="CreateOwned"/> does otherwise.
    /// </summary>
    public (NetnsHandle Handle, T Inside) CreateOwnedIn<T>(string name, string userNamespace, Func<T> whileInside)
    {
        ArgumentException.ThrowIfNullOrEmpty(userNamespace);
        return MakeOwned(name, (userPath, path) => OwnedNetworkNamespace.MakeIn(userNamespace, userPath, path), whileInside);
    }

    private (NetnsHandle Handle, T Inside) MakeOwned<T>(string name, Action<string, string> make, Func<T> whileInside)
    {
        ArgumentNullException.ThrowIfNull(whileInside);
        string path = PathOf(name);
        EnsureDirectory();
        string userPath = UserNamespacePathFor(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(userPath)!, DirectoryMode);
        make(userPath, path);
        NetnsHandle? handle = null;
        try
        {
            handle = NetnsHandle.Open(path);
            T inside = runner.Run(handle, whileInside);
            Reliability.CrashPoints.Pass("netns create");
            return (handle, inside);
        }
        catch
        {
            handle?.Dispose();
            Delete(name);
            throw;
        }
    }

    /// <summary>
    /// Removes user namespace files whose network namespace is gone: a crash between <see cref="CreateOwned"/>'s two bind
    /// mounts, or between <see cref="Delete"/>'s two removals, leaves one. Returns how many went.
    /// </summary>
    public int RemoveOrphanUserNamespaces()
    {
        string userDirectory = System.IO.Path.GetDirectoryName(UserNamespacePathFor(PathOf("x")))!;
        if (!System.IO.Directory.Exists(userDirectory))
        {
            return 0;
        }

        int removed = 0;
        foreach (string file in System.IO.Directory.EnumerateFiles(userDirectory))
        {
            if (!File.Exists(System.IO.Path.Join(Directory, System.IO.Path.GetFileName(file))))
            {
                OwnedNetworkNamespace.Remove(file);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Opens namespace <paramref name="name"/>.</summary>
    public NetnsHandle Open(string name)
    {
        string path = PathOf(name);
        try
        {
            return NetnsHandle.Open(path);
        }
        catch (KernelException exception) when (exception.Errno == Errno.ENOENT)
        {
            throw new KernelException(exception.Errno, $"network namespace \"{name}\" not found in {Directory}; create it first or check the name");
        }
    }

    /// <summary>Whether a file for namespace <paramref name="name"/> exists.</summary>
    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>The names of all namespaces in <see cref="Directory"/>, sorted ordinally.</summary>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var names = new List<string>();
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory))
        {
            names.Add(System.IO.Path.GetFileName(file));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>
    /// Unmounts and removes namespace <paramref name="name"/>. The kernel frees it once the last fd,
    /// socket or process inside is gone.
    /// </summary>
    public void Delete(string name)
    {
        string path = PathOf(name);
        if (Libc.Umount2(path, Libc.MNT_DETACH) != 0)
        {
            Errno errno = Libc.LastErrno();

            // EINVAL: the file exists but nothing is mounted on it (a crash between open and mount); remove it.
            if (errno != Errno.EINVAL)
            {
                throw errno == Errno.ENOENT
                    ? new KernelException(errno, $"network namespace \"{name}\" not found in {Directory}; nothing to delete")
                    : new KernelException(errno, $"unmounting network namespace \"{name}\" from {path}");
            }
        }

        if (Libc.Unlink(path) != 0)
        {
            Errno errno = Libc.LastErrno();
            throw errno == Errno.ENOENT
                ? new KernelException(errno, $"network namespace \"{name}\" not found in {Directory}; nothing to delete")
                : new KernelException(errno, $"removing network namespace file {path}");
        }

        // The user namespace that owned it, when there was one (--userns-remap).
        OwnedNetworkNamespace.Remove(UserNamespacePathFor(path));
        Reliability.CrashPoints.Pass("netns delete");
    }

    /// <summary>
    /// Once per manager: create the directory and make it a shared mount point, so that unmounting a
    /// namespace here also unmounts it in mount namespaces that copied it (and frees the netns sooner).
    /// Serialised with iproute2 and other Berth processes by flock on the directory (Debian bug 949235:
    /// parallel creators stacked mounts).
    /// </summary>
    private void EnsureDirectory()
    {
        if (directoryReady)
        {
            return;
        }

        lock (setupGate)
        {
            if (directoryReady)
            {
                return;
            }

            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("network namespaces exist only on Linux");
            }

            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
            int fd = Libc.Open(Directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
            {
                throw KernelException.FromLastError($"opening network namespace directory {Directory}");
            }

            using var directoryLock = new FileDescriptorHandle(fd);
            if (Libc.Flock(directoryLock, Libc.LOCK_EX) != 0)
            {
                throw KernelException.FromLastError($"locking network namespace directory {Directory}");
            }

            MakeSharedMountPoint();
            directoryReady = true;
        }
    }

    private void MakeSharedMountPoint()
    {
        bool madeMountPoint = false;
        while (Libc.Mount("none", Directory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) != 0)
        {
            Errno errno = Libc.LastErrno();
            if (errno != Errno.EINVAL || madeMountPoint)
            {
                throw new KernelException(errno, $"making network namespace directory {Directory} a shared mount point");
            }

            // EINVAL: not a mount point yet. Bind it onto itself, then make it private so that the
            // following MS_SHARED gives it a fresh peer group of its own.
            if (Libc.Mount(Directory, Directory, "none", Libc.MS_BIND | Libc.MS_REC, 0) != 0)
            {
                throw KernelException.FromLastError($"bind-mounting network namespace directory {Directory} onto itself");
            }

            if (Libc.Mount("none", Directory, "none", Libc.MS_PRIVATE | Libc.MS_REC, 0) != 0)
            {
                throw KernelException.FromLastError($"making network namespace directory {Directory} a private mount");
            }

            madeMountPoint = true;
        }
    }
}
