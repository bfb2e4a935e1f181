using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>Linux signals by Docker's spellings: a number (1–64), a name with or without <c>SIG</c>, any case (moby <c>signal.ParseSignal</c>).</summary>
public static class Signals
{
    /// <summary>SIGTERM: what a stop sends when neither the request, the container nor its image names a signal.</summary>
    public const string DefaultStop = "SIGTERM";

    /// <summary>The highest signal number on Linux (SIGRTMAX).</summary>
    private const int Max = 64;

    /// <summary>Linux's signals 1–31 in order (signal(7), x86 and arm numbering).</summary>
    private static readonly string[] Names =
        ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
         "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"];

    /// <summary>The signal's number; null when <paramref name="signal"/> names none.</summary>
    public static int? TryNumber(string signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (int.TryParse(signal, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number is > 0 and <= Max ? number : null;
        }

        string name = signal.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signal[3..] : signal;
        int index = Array.FindIndex(Names, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index + 1 : null;
    }

    /// <summary><paramref name="signal"/> as given when it names a signal; moby's 400 otherwise.</summary>
    public static string Validate(string signal) =>
        TryNumber(signal) is not null ? signal : throw new BerthException(ErrorKind.InvalidArgument, $"Invalid signal: {signal}");
}
