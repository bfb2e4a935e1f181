using System.Security.Cryptography;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Interactive attach with the real docker CLI: stdin through conmon's attach socket (sent before the
/// container starts, and after), half-close as the end of input, TTY output as the pty writes it,
/// <c>docker attach</c> to a running shell on a terminal, <c>docker start -ai</c>, and resize.
/// </summary>
public sealed class AttachTests : DaemonTest
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [RootFact]
    public void StdinReachesTheContainerAndItsEndClosesIt()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        Assert.Equal(("hello\n", 0), RunWithInput(daemon, "hello\n", "run", "-i", "--rm", "bb:latest", "cat"));
        Assert.Equal(("2\n", 0), RunWithInput(daemon, "a\nb\n", "run", "-i", "--rm", "bb:latest", "wc", "-l"));

        // More than fits in the socket buffers before the container starts, in messages of conmon's size.
        byte[] data = RandomNumberGenerator.GetBytes(300 * 1024);
        using (var digest = ClientProcess.Docker(daemon, "run", "-i", "--rm", "bb:latest", "sha256sum"))
        {
            digest.Write(data);
            digest.CloseInput();
            Assert.Equal(0, digest.WaitForExit(Deadline));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)) + "  -\n", digest.Output);
        }

        // Input typed while the container already runs, and output that keeps coming after the half-close.
        using (var shell = ClientProcess.Docker(daemon, "run", "-i", "--rm", "bb:latest", "sh", "-c", "read a; echo got-$a; read b; echo got-$b; sleep 0.5; echo after-eof"))
        {
            shell.Write("one\n");
            Assert.True(shell.WaitForOutput("got-one\n", Deadline), "no answer to the first line: " + shell.Output + shell.Error);
            shell.Write("two\n");
            shell.CloseInput();
            Assert.Equal(0, shell.WaitForExit(Deadline));
            Assert.Equal("got-one\ngot-two\nafter-eof\n", shell.Output);
        }

        Assert.True(Poll.Until(() => daemon.DockerChecked("ps", "-aq").Output.Trim().Length == 0, Deadline), "--rm containers left: " + daemon.Docker("ps", "-a").Output);
    }

    [RootFact]
    public void TtyOutputIsThePtysAndResizeReachesIt()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // The CLI needs no terminal of its own for -t without -i.
        var tty = daemon.Docker("run", "-t", "--rm", "bb:latest", "tty");
        Assert.Equal(("/dev/pts/0\r\n", 0), (tty.Output, tty.ExitCode));

        // A shell on a pty, kept running; `docker attach` on a terminal talks to it.
        daemon.DockerChecked("run", "-d", "-it", "--name", "shell", "bb:latest", "sh");
        Assert.Equal("true true false", daemon.DockerChecked("inspect", "-f", "{{.Config.Tty}} {{.Config.OpenStdin}} {{.Config.StdinOnce}}", "shell").Output.Trim());

        using (var attach = ClientProcess.DockerOnTerminal(daemon, "attach", "shell"))
        {
            // Raw terminal: Enter is CR, the container's pty turns it into a newline and echoes.
            attach.Write("echo hi-$((6*7))\r");
            Assert.True(attach.WaitForOutput("hi-42", Deadline), "no answer from the attached shell: " + attach.Output + attach.Error + daemon.Log);

            // The CLI sized the pty to its terminal when it attached; now through the API, as the CLI does on SIGWINCH.
            string resized = Cmd.Check("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", daemon.Socket, "-X", "POST", "http://berth/containers/shell/resize?h=33&w=101");
            Assert.Equal("200", resized);
            attach.Write("stty size\r");
            Assert.True(attach.WaitForOutput("33 101", Deadline), "the pty was not resized: " + attach.Output);

            // ctrl-p ctrl-q detaches: the CLI ends (status 1, "read escape sequence", as with Docker), the shell keeps
            // running with its stdin open.
            attach.Write("\u0010\u0011");
            Assert.Equal(1, attach.WaitForExit(Deadline));
            Assert.Contains("read escape sequence", attach.Output + attach.Error, StringComparison.Ordinal);
        }

        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "shell").Output.Trim());
        using (var attach = ClientProcess.DockerOnTerminal(daemon, "attach", "--detach-keys", "ctrl-x,x", "shell"))
        {
            attach.Write("echo again-$((6*7))\r");
            Assert.True(attach.WaitForOutput("again-42", Deadline), "the shell did not survive the detach: " + attach.Output + attach.Error);
            attach.Write("\u0018x");
            Assert.Equal(1, attach.WaitForExit(Deadline));
        }

        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "shell").Output.Trim());
        using (var attach = ClientProcess.DockerOnTerminal(daemon, "attach", "shell"))
        {
            attach.Write("exit 3\r");
            Assert.Equal(3, attach.WaitForExit(Deadline));
        }

        Assert.Equal("exited 3", daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "shell").Output.Trim());
        Assert.Contains("cannot attach to a stopped container", daemon.Docker("attach", "shell").Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "shell");
    }

    [RootFact]
    public void StartAttachedWithStdinRunsAgainWithoutRepeatingTheLastRun()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("create", "-i", "--name", "job", "bb:latest", "sh", "-c", "read line; echo run-$line");

        Assert.Equal(("run-first\n", 0), RunWithInput(daemon, "first\n", "start", "-ai", "job"));
        Assert.Equal(("run-second\n", 0), RunWithInput(daemon, "second\n", "start", "-ai", "job"));
        Assert.Equal("run-first\nrun-second\n", daemon.DockerChecked("logs", "job").Output);
        daemon.DockerChecked("rm", "job");
    }

    private static (string Output, int ExitCode) RunWithInput(Berthd daemon, string input, params string[] args)
    {
        using var client = ClientProcess.Docker(daemon, args);
        client.Write(input);
        client.CloseInput();
        int code = client.WaitForExit(Deadline);
        return (client.Output, code);
    }
}
