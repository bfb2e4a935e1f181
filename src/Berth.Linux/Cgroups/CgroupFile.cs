using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Cgroups;

/// <summary>
/// One cgroup file kept open and read again from offset 0 for every sample (kernfs regenerates its text), so a sample
/// costs one pread per file and no open. A file that does not exist (a controller without it) reads as absent, as
/// does one whose cgroup was removed since (ENODEV).
/// </summary>
internal sealed class CgroupFile : IDisposable
{
    private readonly string _path;
    private SafeFileHandle? _handle;
    private bool _missing;

    public CgroupFile(string? directory, string name)
    {
        _path = directory is null ? "" : Path.Combine(directory, name);
        _missing = directory is null;
    }

    /// <summary>Reads the file into <paramref name="buffer"/>; the number of bytes, or -1 when there is no such file (any more).</summary>
    public int Read(Span<byte> buffer)
    {
        if (_missing)
        {
            return -1;
        }

        try
        {
            _handle ??= File.OpenHandle(_path);
            return RandomAccess.Read(_handle, buffer, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            _missing = true;
            _handle?.Dispose();
            _handle = null;
            return -1;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
