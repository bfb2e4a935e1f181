using Berth.Bench;

// bench/run.sh NAME [options]: each benchmark prints one JSON object on stdout; progress goes to stderr.
if (Environment.UserName != "root")
{
    Console.Error.WriteLine("berth-bench: run as root (the benchmarks create network namespaces, links and nftables tables)");
    return 1;
}

string name = args.Length > 0 ? args[0] : "help";
int count = 200;
bool parallelOnly = false;
bool initOnly = false;
double minutes = 1;
string? only = null;
for (int i = 1; i < args.Length; i++)
{
    if (args[i] == "--count" && i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0)
    {
        count = n;
        i++;
    }
    else if (args[i] == "--minutes" && i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out double m) && m > 0)
    {
        minutes = m;
        i++;
    }
    else if (args[i] == "--only" && i + 1 < args.Length)
    {
        only = args[i + 1];
        i++;
    }
    else if (args[i] == "--parallel-only")
    {
        parallelOnly = true;
    }
    else if (args[i] == "--init-only")
    {
        initOnly = true;
    }
    else
    {
        Console.Error.WriteLine($"berth-bench: unknown option \"{args[i]}\"; use --count N (or, for fuzz and reliability, --minutes N; for reliability, --only PART; for overlay, --only encrypted; for containers, --parallel-only; for cluster, --init-only)");
        return 2;
    }
}

var log = Console.Error;
switch (name)
{
    case "endpoint-setup":
        var result = new BenchResult();
        new EndpointSetupBenchmark(count, log).Run(result);
        Console.WriteLine(result.ToJson());
        return 0;
    case "network-api":
        var api = new BenchResult();
        new NetworkApiBenchmark(count == 200 ? 50 : count, log).Run(api);
        Console.WriteLine(api.ToJson());
        return 0;
    case "containers":
        var containers = new BenchResult();
        new ContainersBenchmark(count == 200 ? 30 : count, parallelOnly, log).Run(containers);
        Console.WriteLine(containers.ToJson());
        return 0;
    case "networking":
        var networking = new BenchResult();
        new NetworkingBenchmark(count == 200 ? 30 : count, log).Run(networking);
        Console.WriteLine(networking.ToJson());
        return 0;
    case "compose":
        var compose = new BenchResult();
        new ComposeBenchmark(count == 200 ? 10 : count, log).Run(compose);
        Console.WriteLine(compose.ToJson());
        return 0;
    case "cluster":
        var cluster = new BenchResult();
        new ClusterBenchmark(count == 200 ? 5 : count, initOnly, log).Run(cluster);
        Console.WriteLine(cluster.ToJson());
        return 0;
    case "overlay":
        var overlay = new BenchResult();
        if (only is not (null or "encrypted"))
        {
            Console.Error.WriteLine($"berth-bench: overlay --only takes \"encrypted\" (the encrypted overlay's part alone), not \"{only}\"");
            return 2;
        }

        new OverlayBenchmark(count == 200 ? 30 : count, only == "encrypted", log).Run(overlay);
        Console.WriteLine(overlay.ToJson());
        return 0;
    case "services":
        var services = new BenchResult();
        new ServicesBenchmark(count == 200 ? 5 : count, log).Run(services);
        Console.WriteLine(services.ToJson());
        return 0;
    case "stack":
        var stack = new StackBenchmark(count == 200 ? 5 : count, log).Run();
        Console.WriteLine(stack.ToJson());
        return 0;
    case "build":
        var build = new BenchResult();
        new BuildBenchmark(count == 200 ? 5 : count, log).Run(build);
        Console.WriteLine(build.ToJson());
        return 0;
    case "doctor":
        var doctor = new BenchResult();
        new DoctorBenchmark(count == 200 ? 5 : count, log).Run(doctor);
        Console.WriteLine(doctor.ToJson());
        return 0;
    case "fuzz":
        var fuzz = new BenchResult();
        new FuzzBenchmark(minutes, log).Run(fuzz);
        Console.WriteLine(fuzz.ToJson());
        return 0;
    case "reliability":
        var reliability = new BenchResult();
        new ReliabilityBenchmark(minutes, only, log).Run(reliability);
        Console.WriteLine(reliability.ToJson());
        return 0;
    case "demo":
        return new Demo(Console.Out).Run();
    default:
        Console.Error.WriteLine("usage: bench/run.sh endpoint-setup [--count N] | network-api [--count N] | containers [--count N] [--parallel-only] | networking [--count N] | compose [--count N] | cluster [--count N] [--init-only] | overlay [--count N] [--only encrypted] | services [--count N] | stack [--count N] | doctor [--count N] | build [--count N] | fuzz [--minutes N] | reliability [--minutes N] [--only fuzz|concurrency|crashes|chaos] | demo");
        return name == "help" ? 0 : 2;
}
