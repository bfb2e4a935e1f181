namespace Berth.Runtime.Containers;

/// <summary>Which output of the container a log line came from.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}
