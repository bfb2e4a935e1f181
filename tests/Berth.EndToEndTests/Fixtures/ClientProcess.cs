using System.Diagnostics;
using System.Text;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A client (docker, or docker under <c>script</c> for a terminal) that the test talks to while it runs:
/// bytes to its stdin, its output collected as it comes, its exit awaited with a deadline.
/// </summary>
public sealed class ClientProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _pumps;

    private ClientProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, _output), PumpAsync(process.StandardError.BaseStream, _error));
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The docker CLI against <paramref name="daemon"/>, stdin a pipe the test writes.</summary>
    public static ClientProcess Docker(Berthd daemon, params string[] args) => Start(daemon, RepoPaths.DockerCli, args);

    /// <summary>The docker CLI on a terminal of its own: <c>script</c> gives it a pty and relays our pipe to it.</summary>
    public static ClientProcess DockerOnTerminal(Berthd daemon, params string[] args) =>
        Start(daemon, "script", "--quiet", "--return", "--command", string.Join(' ', [RepoPaths.DockerCli, .. args]), "/dev/null");

    /// <summary>Another client program (docker-compose) against <paramref name="daemon"/>, started the same way.</summary>
    public static ClientProcess Program(Berthd daemon, string file, params string[] args) => Start(daemon, file, args);

    /// <summary>SIGINT, what Ctrl-C on a terminal sends.</summary>
    public void Interrupt() => Berth.Linux.IntegrationTests.Fixtures.Cmd.Check("kill", "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    public void Write(byte[] bytes)
    {
        _process.StandardInput.BaseStream.Write(bytes);
        _process.StandardInput.BaseStream.Flush();
    }

    public void CloseInput() => _process.StandardInput.Close();

    public bool WaitForOutput(string text, TimeSpan timeout) =>
        Berth.Linux.IntegrationTests.Fixtures.Poll.Until(() => Output.Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>The exit code; throws when the client is still running after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"`{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}` still runs after {timeout.TotalSeconds:0} s; output so far:\n{Output}\n{Error}");
        }

        _pumps.Wait(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static ClientProcess Start(Berthd daemon, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOCKER_HOST"] = daemon.Host;
        return new ClientProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}"));
    }

    private static async Task PumpAsync(Stream stream, StringBuilder into)
    {
        byte[] buffer = new byte[8192];
        var decoder = Encoding.UTF8.GetDecoder();
        char[] chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            int count = decoder.GetChars(buffer, 0, read, chars, 0);
            lock (into)
            {
                into.Append(chars, 0, count);
            }
        }
    }
}
