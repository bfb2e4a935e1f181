using Berth.EndToEndTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary><c>berth doctor</c> run through the CLI, each finding as one <c>check|subject|status|found|fix</c> line.</summary>
internal sealed record DoctorReport(int ExitCode, IReadOnlyList<string> Lines)
{
    private const string Format = "{{.Check}}|{{.Subject}}|{{.Status}}|{{.Found}}|{{.Fix}}";

    public static DoctorReport Run(Berthd daemon, params string[] args)
    {
        var result = daemon.BerthCli(["doctor", .. args, "--format", Format]);
        Assert.True(result.ExitCode is 0 or 1, result + "\n" + daemon.Log);
        return new DoctorReport(result.ExitCode, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The one line of that check and subject.</summary>
    public string Line(string check, string subject) =>
        Assert.Single(Lines, l => l.StartsWith($"{check}|{subject}|", StringComparison.Ordinal));

    /// <summary>The fix column of that line.</summary>
    public string Fix(string check, string subject) => Line(check, subject).Split('|')[4];

    public override string ToString() => string.Join('\n', Lines);
}
