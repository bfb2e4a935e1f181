namespace Berth.Cli.Tests;

/// <summary>Runs the CLI's entry method in-process and captures what it printed.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static async Task<CliRun> RunWithInputAsync(string host, string stdin, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(stdin);
        var code = await BerthCli.RunAsync(args, output, error, input, name => name == "BERTH_HOST" ? host : null);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(string host, params string[] args) => RunWithInputAsync(host, "", args);

    /// <summary>With more of the environment (<c>DOCKER_CONFIG</c>) than the daemon's address.</summary>
    public static async Task<CliRun> RunWithEnvironmentAsync(string host, IReadOnlyDictionary<string, string> environment, string stdin, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new StringReader(stdin);
        var code = await BerthCli.RunAsync(args, output, error, input, name => name == "BERTH_HOST" ? host : environment.GetValueOrDefault(name));
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
