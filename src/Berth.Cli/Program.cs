using Berth.Cli;
using Berth.Cli.Terminal;

// Console.In is never touched: it would set up .NET's own terminal handling, which fights raw mode (run -t).
var stdout = Console.OpenStandardOutput();
var stderr = Console.OpenStandardError();
var stdin = Console.OpenStandardInput();
var output = new StreamWriter(stdout) { AutoFlush = false, NewLine = "\n" };
var error = new StreamWriter(stderr) { AutoFlush = true, NewLine = "\n" };
var console = new CliConsole(output, error, new StreamReader(stdin), stdout, stderr, stdin, new PosixTerminal());
try
{
    return await BerthCli.RunAsync(args, console, Environment.GetEnvironmentVariable).ConfigureAwait(false);
}
finally
{
    await output.FlushAsync().ConfigureAwait(false);
}
