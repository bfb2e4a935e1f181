using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Containers;

/// <summary>Starting runc with a terminal as its stdio.</summary>
public sealed partial class ExecProcess
{
    /// <summary>The environment variable that carries the slave's path to the shell below.</summary>
    private const string SlaveVariable = "BERTH_EXEC_TTY";

    /// <summary>
    /// .NET's Process can only give a child pipes, so a shell opens the slave as the child's stdin, stdout and
    /// stderr and then becomes runc (<c>exec</c>: same pid, runc's exit code).
    /// </summary>
    private const string RedirectToSlave = "exec \"$0\" \"$@\" <>\"$" + SlaveVariable + "\" >&0 2>&0";

    private const string Shell = "/bin/sh";

    private static ExecProcess StartWithTerminal(string runcPath, string[] args, ExecPaths paths, OciBox? size)
    {
        var terminal = size is null ? PseudoTerminal.Open() : PseudoTerminal.Open((ushort)size.Height, (ushort)size.Width);
        try
        {
            var start = new ProcessStartInfo(Shell) { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(RedirectToSlave);
            start.ArgumentList.Add(runcPath);
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[SlaveVariable] = terminal.SlavePath;
            var runc = Process.Start(start) ?? throw new BerthException(ErrorKind.Unavailable, $"cannot start {runcPath}");

            // Two unbuffered streams over the one master: reads and writes go on independently.
            var output = new FileStream(terminal.Master, FileAccess.Read, bufferSize: 0);
            var input = new FileStream(terminal.Master, FileAccess.Write, bufferSize: 0);
            return new ExecProcess(runc, paths, terminal, output, null, input);
        }
        catch
        {
            terminal.Dispose();
            throw;
        }
    }
}
