using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using Berth.Store;

// A second "daemon" for tests: opens Berth's SQLite store at a path (as berthd does, minus the --root lock that keeps
// two berthd on one root apart) and claims addresses for one network through the real allocation path
// (AddressClaims, the one EndpointManager uses), with several concurrent callers. Prints "ready", waits for the file
// <store>.go (so two probes start their claims together), then prints one claimed address per line and "done".
//
// Usage: Berth.AllocationProbe <store path> <network id> <subnet> <count> <callers> <owner prefix>
if (args.Length != 6)
{
    await Console.Error.WriteLineAsync("usage: Berth.AllocationProbe <store path> <network id> <subnet> <count> <callers> <owner prefix>");
    return 2;
}

string path = args[0];
var network = new NetworkId(args[1]);
var subnet = IPNetwork.Parse(args[2]);
int count = int.Parse(args[3], CultureInfo.InvariantCulture);
int callers = int.Parse(args[4], CultureInfo.InvariantCulture);
string owner = args[5];
var pool = new SubnetAllocation { Subnet = subnet, Gateway = IPNetworkMathGateway(subnet) };

await using var store = await SqliteStateStore.OpenAsync(path);
var claims = new AddressClaims(store);
Console.WriteLine("ready");
var deadline = DateTime.UtcNow.AddSeconds(60);
while (!File.Exists(path + ".go"))
{
    if (DateTime.UtcNow > deadline)
    {
        await Console.Error.WriteLineAsync("no go file within 60 s");
        return 3;
    }

    await Task.Delay(5);
}

var claimed = new ConcurrentBag<IPAddress>();
int next = -1;
await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        claimed.Add(await claims.ClaimAsync(network, "probe", pool, owner + "-" + i.ToString(CultureInfo.InvariantCulture)));
    }
})));

foreach (var address in claimed)
{
    Console.WriteLine(address);
}

Console.WriteLine("done");
return 0;

static IPAddress IPNetworkMathGateway(IPNetwork subnet)
{
    var bytes = subnet.BaseAddress.GetAddressBytes();
    bytes[^1] |= 1;
    return new IPAddress(bytes);
}
