using Berth.Core.Errors;
using Berth.Daemon;

if (Environment.UserName != "root")
{
    Console.Error.WriteLine("berthd: must run as root (it manages network namespaces, links and nftables); these machines have no sudo");
    return 1;
}

try
{
    // berthd handles SIGTERM/SIGINT itself (Daemon.RunAsync) and shuts down in order, a swarm manager's etcd member
    // last; System.CommandLine's own handler would end the process 2 s after the signal, orphaning that member.
    return await DaemonCommandLine.Build(Daemon.RunAsync).Parse(args)
        .InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
}
catch (BerthException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
