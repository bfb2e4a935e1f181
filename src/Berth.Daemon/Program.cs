using Berth.Core.Errors;
using Berth.Daemon;

if (Environment.UserName != "root")
{
    Console.Error.WriteLine("berthd: must run as root (it manages network namespaces, links and nftables); these machines have no sudo");
    return 1;
}

// Native allocations (OpenSSL's TLS, SQLite) are few and small next to the managed heap, yet glibc gives threads up
// to 8 arenas per core, each a heap of its own that keeps what was freed in it: a swarm manager's TLS threads held
// ~5 MB in them. Two arenas keep two threads from queueing on one lock. Set before berthd starts its own threads.
const int MallocArenas = 2;
Berth.Linux.Interop.Libc.Mallopt(Berth.Linux.Interop.Libc.M_ARENA_MAX, MallocArenas);

try
{
    // berthd handles SIGTERM/SIGINT itself (Daemon.RunAsync) and shuts down in order, a swarm manager's etcd member
    // last; System.CommandLine's own handler would end the process 2 s after the signal, orphaning that member.
    return await DaemonCommandLine.Build(Daemon.RunAsync).Parse(args)
        .InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (BerthException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
