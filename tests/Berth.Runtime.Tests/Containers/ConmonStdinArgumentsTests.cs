using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>Docker's OpenStdin/StdinOnce/Tty/ConsoleSize as conmon's flags and runc's config.</summary>
public sealed class ConmonStdinArgumentsTests
{
    private static readonly ConmonLauncher Launcher = new(ContainerRuntimeOptions.Under("/run/b") with { LogSizeMax = 1024 });

    [Theory]
    [InlineData(StdinMode.None, false, "")]
    [InlineData(StdinMode.UntilFirstClientEnds, false, " --stdin")]
    [InlineData(StdinMode.KeptOpen, true, " --terminal --stdin --leave-stdin-open")]
    public void StdinAndTerminalFlags(StdinMode stdin, bool tty, string expected)
    {
        string args = string.Join(' ', Launcher.Arguments("c1", new ContainerPaths("/var/c1"), tty, stdin, logPath: "/var/lib/c1.log"));
        Assert.Contains("--log-path k8s-file:/var/lib/c1.log ", args, StringComparison.Ordinal);
        Assert.EndsWith("--log-level warning --log-size-max 1024" + expected, args, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleSizeGoesToRuncOnlyWithATerminal()
    {
        var spec = new ContainerSpec { Id = "c1", Layers = ["/l"], Cmd = ["sh"], Tty = true, ConsoleSize = (30, 100) };
        var paths = new ContainerPaths("/nonexistent/c1");
        Assert.Equal(new(30, 100), Oci(spec, paths).ConsoleSize);
        Assert.Null(Oci(spec with { Tty = false }, paths).ConsoleSize);
        Assert.Null(Oci(spec with { ConsoleSize = (0, 0) }, paths).ConsoleSize);
    }

    private static Berth.Runtime.Containers.Oci.OciProcess Oci(ContainerSpec spec, ContainerPaths paths) => OciSpecBuilder.Build(spec, paths).Process;
}
