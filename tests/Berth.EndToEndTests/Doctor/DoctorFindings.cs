using System.Text.Json;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>One line of <c>berth doctor --format json</c>.</summary>
public sealed record DoctorFinding(string Check, string Subject, string Status, string Found, string? Fix);

/// <summary>The findings of <c>berth doctor --format json</c>, and the one finding a test looks for.</summary>
public static class DoctorFindings
{
    public static List<DoctorFinding> Parse(CmdResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var report = JsonDocument.Parse(result.Output);
        return [.. report.RootElement.GetProperty("Findings").EnumerateArray().Select(f => new DoctorFinding(
            f.GetProperty("Check").GetString()!, f.GetProperty("Subject").GetString()!, f.GetProperty("Status").GetString()!,
            f.GetProperty("Found").GetString()!, f.GetProperty("Fix").GetString()))];
    }

    /// <summary>The only finding of <paramref name="check"/> about <paramref name="subject"/>; fails listing them all otherwise.</summary>
    public static DoctorFinding Single(this IReadOnlyList<DoctorFinding> findings, string check, string subject)
    {
        var matching = findings.Where(f => f.Check == check && f.Subject == subject).ToList();
        Assert.True(matching.Count == 1, $"{matching.Count} findings of {check} on {subject} in:\n" + string.Join("\n", findings));
        return matching[0];
    }
}
