using System.Diagnostics;
using System.Globalization;
using Berth.Linux.Interop;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Etcd;

public sealed partial class EtcdMember
{
    private static async Task TerminateAsync(Process process, CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            return;
        }

        Libc.Kill(process.Id, Libc.SIGTERM);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A berthd killed with -9 leaves its member running; the next one stops it, found by the pid file and checked
    /// by its command line (a recycled pid of another program is left alone), and starts it again with today's flags.
    /// </summary>
    private async Task StopLeftoverAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Options.PidFile)
            || !int.TryParse(await File.ReadAllTextAsync(Options.PidFile, cancellationToken).ConfigureAwait(false), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return;
        }

        if (IsOurEtcd(pid))
        {
            Libc.Kill(pid, Libc.SIGTERM);
            var deadline = DateTime.UtcNow + StopGrace;
            while (IsOurEtcd(pid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(ReadyPoll, cancellationToken).ConfigureAwait(false);
            }

            if (IsOurEtcd(pid))
            {
                Libc.Kill(pid, Libc.SIGKILL);
            }

            EtcdLog.LeftoverStopped(logger, pid, Options.Name);
        }

        File.Delete(Options.PidFile);
    }

    private bool IsOurEtcd(int pid)
    {
        try
        {
            // /proc/PID/cmdline separates arguments with NUL; a zombie's is empty.
            string[] args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            int dataDir = Array.IndexOf(args, "--data-dir");
            return dataDir >= 0 && dataDir + 1 < args.Length && args[dataDir + 1] == Options.DataDirectory;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
