using Berth.Cli;

var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false, NewLine = "\n" };
var error = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true, NewLine = "\n" };
try
{
    return await BerthCli.RunAsync(args, output, error, Console.In, Environment.GetEnvironmentVariable).ConfigureAwait(false);
}
finally
{
    await output.FlushAsync().ConfigureAwait(false);
}
