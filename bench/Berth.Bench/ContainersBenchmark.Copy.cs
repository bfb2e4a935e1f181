using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// `docker cp` throughput: a 200 MB tree (4 files of 40 MB and 4,000 of 10 KB in 40 directories) copied into a running
/// container and back out, through the real CLI; MB/s of the median of three rounds each way (the tree removed on
/// both sides between rounds). Docker's twin runs the same plan when its daemon answers. BERTH_BENCH_COPY_ONLY=1 runs
/// only this part.
/// </summary>
internal sealed partial class ContainersBenchmark
{
    private static bool CopyOnly => Environment.GetEnvironmentVariable("BERTH_BENCH_COPY_ONLY") == "1";

    private const int CopyRounds = 3;
    private const int CopyBigFiles = 4;
    private const int CopyBigFileBytes = 40 << 20;
    private const int CopyDirectories = 40;
    private const int CopySmallFilesPerDirectory = 100;
    private const int CopySmallFileBytes = 10 << 10;
    private const double BytesPerMegabyte = 1 << 20;

    private void MeasureCopy(Target target, string dir, BenchResult result, string prefix)
    {
        string tree = Path.Combine(dir, "cp-tree");
        long bytes = MakeCopyTree(tree);
        string container = "cpbench" + Environment.ProcessId;
        target.Docker("run", "-d", "--name", container, "berthbench:latest", "sleep", "600").Check();
        var into = new List<double>(CopyRounds);
        var outOf = new List<double>(CopyRounds);
        try
        {
            for (int round = 0; round < CopyRounds; round++)
            {
                string back = Path.Combine(dir, "cp-back");
                var clock = Stopwatch.StartNew();
                target.Docker("cp", tree, container + ":/cp-in").Check();
                into.Add(bytes / BytesPerMegabyte / clock.Elapsed.TotalSeconds);
                clock.Restart();
                target.Docker("cp", container + ":/cp-in", back).Check();
                outOf.Add(bytes / BytesPerMegabyte / clock.Elapsed.TotalSeconds);
                target.Docker("exec", container, "rm", "-rf", "/cp-in").Check();
                Directory.Delete(back, recursive: true);
                log.WriteLine($"containers ({target.Name}): docker cp of {bytes / BytesPerMegabyte:0} MB: in {into[^1]:0} MB/s, out {outOf[^1]:0} MB/s");
            }
        }
        finally
        {
            target.Docker("rm", "-f", container);
            Directory.Delete(tree, recursive: true);
        }

        result.Add(prefix + "cp_in_mb_per_s", Stats.Round(Stats.Median(into)));
        result.Add(prefix + "cp_out_mb_per_s", Stats.Round(Stats.Median(outOf)));
    }

    /// <summary>Random bytes (nothing a filesystem could compress or deduplicate); returns the tree's size.</summary>
    private static long MakeCopyTree(string tree)
    {
        var random = new Random(1);
        long total = 0;
        byte[] big = new byte[CopyBigFileBytes];
        for (int i = 0; i < CopyBigFiles; i++)
        {
            Directory.CreateDirectory(tree);
            random.NextBytes(big);
            File.WriteAllBytes(Path.Combine(tree, $"big{i}.bin"), big);
            total += big.Length;
        }

        byte[] small = new byte[CopySmallFileBytes];
        for (int d = 0; d < CopyDirectories; d++)
        {
            string directory = Path.Combine(tree, $"d{d}");
            Directory.CreateDirectory(directory);
            for (int f = 0; f < CopySmallFilesPerDirectory; f++)
            {
                random.NextBytes(small);
                File.WriteAllBytes(Path.Combine(directory, $"f{f}"), small);
                total += small.Length;
            }
        }

        return total;
    }
}
