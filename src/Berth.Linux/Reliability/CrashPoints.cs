using System.Globalization;
using Berth.Linux.Interop;

namespace Berth.Linux.Reliability;

/// <summary>
/// Fault injection for the crash-anywhere tests: the points right after a state store write or a kernel call (a
/// netlink batch acknowledged, an nft transaction applied, a namespace made or removed, a sysctl written, runc done)
/// where a crash leaves the store and the kernel apart. Only with <c>BERTH_CRASH_CONTROL=DIR</c> in berthd's
/// environment: each point passed is appended to <c>DIR/log</c> (<c>N site</c>); while <c>DIR/arm</c> holds
/// <c>ID N</c>, the Nth point passed since that arming was first seen kills the process with SIGKILL — no finally
/// block, no flush, as a power cut would — after naming the site in <c>DIR/crashed</c>. A test arms a running
/// berthd, so one start serves each crash point. Without the variable a pass is one branch on a static field.
/// </summary>
public static class CrashPoints
{
    public const string ControlVariable = "BERTH_CRASH_CONTROL";

    private static readonly string? Control = Environment.GetEnvironmentVariable(ControlVariable) is { Length: > 0 } path ? path : null;

    // Only with a control directory (tests): points are counted in one order, so the Nth is one place.
    private static readonly Lock Gate = new();
    private static long _passed;
    private static string? _armedId;
    private static long _armedAt;

    /// <summary>A point passed: <paramref name="site"/> names it (<c>store</c>, <c>netlink</c>, <c>nft</c>, …).</summary>
    public static void Pass(string site)
    {
        if (Control is null)
        {
            return;
        }

        lock (Gate)
        {
            long passed = ++_passed;
            File.AppendAllText(Path.Combine(Control, "log"), passed.ToString(CultureInfo.InvariantCulture) + " " + site + "\n");
            string[] arm = File.Exists(Path.Combine(Control, "arm")) ? File.ReadAllText(Path.Combine(Control, "arm")).Split(' ', StringSplitOptions.TrimEntries) : [];
            if (arm.Length != 2 || !long.TryParse(arm[1], NumberStyles.None, CultureInfo.InvariantCulture, out long nth))
            {
                _armedId = null;
                return;
            }

            if (arm[0] != _armedId)
            {
                _armedId = arm[0];
                _armedAt = passed - 1;
            }

            if (passed - _armedAt == nth)
            {
                File.WriteAllText(Path.Combine(Control, "crashed"), site + "\n");
                Libc.Kill(Environment.ProcessId, Libc.SIGKILL);
            }
        }
    }
}
