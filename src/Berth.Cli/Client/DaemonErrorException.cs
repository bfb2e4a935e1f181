namespace Berth.Cli.Client;

/// <summary>The daemon answered with an error status and <c>{"message": ...}</c>.</summary>
public sealed class DaemonErrorException(int statusCode, string message) : Exception(message)
{
    public const int NotFound = 404;

    public int StatusCode { get; } = statusCode;
}
