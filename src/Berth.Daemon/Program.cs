using Berth.Core.Errors;
using Berth.Daemon;

if (Environment.UserName != "root")
{
    Console.Error.WriteLine("berthd: must run as root (it manages network namespaces, links and nftables); these machines have no sudo");
    return 1;
}

try
{
    return await DaemonCommandLine.Build(Daemon.RunAsync).Parse(args).InvokeAsync().ConfigureAwait(false);
}
catch (BerthException e)
{
    Console.Error.WriteLine($"berthd: {e.Message}");
    return 1;
}
