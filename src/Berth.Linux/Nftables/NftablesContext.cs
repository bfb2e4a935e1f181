using System.Runtime.InteropServices;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Nftables;

/// <summary>
/// One libnftables context. <c>nft_ctx_new</c> opens its netlink socket at once, so the context works on the network
/// namespace of the thread that created it, from any thread, for its whole life (and keeps that namespace alive
/// until disposed). To work on another namespace, construct it on a thread that is inside that namespace.
/// A libnftables context is not thread-safe: every call here takes the context's lock.
/// </summary>
public sealed partial class NftablesContext : IDisposable
{
    /// <summary>How often a batch the kernel interrupted (EINTR: the ruleset changed under it) is sent again.</summary>
    private const int InterruptedAttempts = 5;

    /// <summary>strerror(EINTR), as libnftables prints it.</summary>
    private const string Interrupted = "Interrupted system call";

    private readonly Lock _gate = new();
    private readonly NftContextHandle _handle;

    /// <summary>Creates a context on the calling thread's network namespace.</summary>
    public NftablesContext()
    {
        NftContextHandle handle;
        try
        {
            handle = LibNftables.CtxNew(LibNftables.ContextDefault);
        }
        catch (DllNotFoundException e)
        {
            throw new NftablesException(ErrorKind.Unavailable,
                $"cannot load {LibNftables.LibraryName}; install the libnftables1 package", e.Message);
        }

        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new NftablesException(ErrorKind.Unavailable,
                "libnftables could not create a context (netlink socket or memory); check that nf_tables is available", "");
        }

        // Its netlink socket is not close-on-exec: every child started while it is open would hold its namespace.
        Processes.InheritedDescriptors.MarkCloseOnExec();

        if (LibNftables.CtxBufferOutput(handle) != 0 || LibNftables.CtxBufferError(handle) != 0)
        {
            handle.Dispose();
            throw new NftablesException(ErrorKind.Unavailable, "libnftables could not buffer its output in memory", "");
        }

        _handle = handle;
    }

    /// <summary>
    /// Runs an nft text buffer as one transaction: every command in it takes effect, or none does.
    /// <paramref name="what"/> names what was applied in the error message (default: the first command).
    /// </summary>
    /// <returns>What nft printed (normally nothing).</returns>
    /// <exception cref="NftablesException">nft refused the buffer; nothing was changed.</exception>
    public string Apply(string text, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            string printed = Run(text, what ?? DescribeText(text));
            Reliability.CrashPoints.Pass("nft");
            return printed;
        }
    }

    /// <summary>Applies a batch as one transaction; an empty batch does nothing.</summary>
    public void Apply(NftBatch batch, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        Apply(batch.Render(), what ?? batch.Describe());
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _handle.Dispose();
        }
    }

    /// <summary>Runs under <see cref="_gate"/>; reads and thereby resets both buffers whatever the outcome.</summary>
    private string Run(string text, string what)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        for (int attempt = 1; ; attempt++)
        {
            int rc = LibNftables.RunCmdFromBuffer(_handle, text);
            string output = Marshal.PtrToStringUTF8(LibNftables.CtxGetOutputBuffer(_handle)) ?? "";
            string error = Marshal.PtrToStringUTF8(LibNftables.CtxGetErrorBuffer(_handle)) ?? "";
            if (rc == 0)
            {
                return output;
            }

            // The kernel aborts a batch with EINTR when another transaction changed the ruleset's generation while
            // it was being checked (two nft users at once: another context of berthd, or iptables-nft); the batch is
            // atomic, nothing of it was applied, and the kernel's own advice is to send it again.
            string nftError = error.TrimEnd();
            if (attempt < InterruptedAttempts && nftError.Contains(Interrupted, StringComparison.Ordinal))
            {
                continue;
            }

            throw new NftablesException(NftablesException.KindOf(nftError),
                $"nftables rejected {what}; nothing was changed. nft says:\n{nftError}", nftError);
        }
    }

    private static string DescribeText(string text)
    {
        const int MaxShown = 120;
        string first = text.TrimStart().Split('\n', 2)[0].TrimEnd();
        return first.Length > MaxShown ? $"\"{first[..MaxShown]}…\"" : $"\"{first}\"";
    }
}
