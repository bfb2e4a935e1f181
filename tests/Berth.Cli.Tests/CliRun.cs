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
}
