using System.Globalization;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>A container as Docker words it: the state (<c>running</c>), ps's STATUS (<c>Up 3 seconds</c>) and COMMAND.</summary>
internal static class ContainerDisplay
{
    public static string State(ContainerRecord record) => record.Status switch
    {
        ContainerStatus.Running when record.Paused => "paused",
        ContainerStatus.Running => "running",
        ContainerStatus.Restarting => "restarting",
        ContainerStatus.Exited => "exited",
        _ => "created",
    };

    /// <summary>moby's <c>State.String()</c>.</summary>
    public static string Status(ContainerRecord record, DateTimeOffset now) => record.Status switch
    {
        ContainerStatus.Running when record.Paused => "Up " + HumanDuration(now - (record.StartedAt ?? now)) + " (Paused)",
        ContainerStatus.Running => "Up " + HumanDuration(now - (record.StartedAt ?? now)),
        ContainerStatus.Restarting => $"Restarting ({record.ExitCode}) {HumanDuration(now - (record.FinishedAt ?? now))} ago",
        ContainerStatus.Exited when record.StartedAt is null => "Created",
        ContainerStatus.Exited => $"Exited ({record.ExitCode}) {HumanDuration(now - (record.FinishedAt ?? now))} ago",
        _ => "Created",
    };

    /// <summary>moby's summary Command: the path, then the arguments, those with a space in single quotes.</summary>
    public static string Command(ContainerRecord record) =>
        string.Join(' ', record.Command.Select((arg, i) => i > 0 && arg.Contains(' ', StringComparison.Ordinal) ? $"'{arg}'" : arg));

    /// <summary>go-units' <c>HumanDuration</c>.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        int seconds = (int)d.TotalSeconds;
        int minutes = (int)d.TotalMinutes;
        int hours = (int)(d.TotalHours + 0.5);
        return seconds switch
        {
            < 1 => "Less than a second",
            1 => "1 second",
            < 60 => Invariant($"{seconds} seconds"),
            _ when minutes == 1 => "About a minute",
            _ when minutes < 60 => Invariant($"{minutes} minutes"),
            _ when hours == 1 => "About an hour",
            _ when hours < 48 => Invariant($"{hours} hours"),
            _ when hours < 24 * 7 * 2 => Invariant($"{hours / 24} days"),
            _ when hours < 24 * 30 * 2 => Invariant($"{hours / 24 / 7} weeks"),
            _ when hours < 24 * 365 * 2 => Invariant($"{hours / 24 / 30} months"),
            _ => Invariant($"{(int)d.TotalHours / 24 / 365} years"),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
