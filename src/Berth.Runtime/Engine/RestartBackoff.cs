namespace Berth.Runtime.Engine;

/// <summary>
/// The delay before each automatic restart, as Docker's restart manager computes it: 100 ms, doubled
/// at every restart up to one minute, back to 100 ms once a run lasted at least 10 s. One per
/// container, in memory (a new berthd starts again from 100 ms, as a new dockerd does).
/// </summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(1);

    /// <summary>A run at least this long resets the delay.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    private const int Multiplier = 2;

    private TimeSpan _current = TimeSpan.Zero;

    /// <summary>The delay before the next restart of a container whose last run lasted <paramref name="ranFor"/>.</summary>
    public TimeSpan Next(TimeSpan ranFor)
    {
        if (ranFor >= ResetAfter)
        {
            _current = TimeSpan.Zero;
        }

        _current = _current == TimeSpan.Zero ? Initial : _current * Multiplier;
        if (_current > Maximum)
        {
            _current = Maximum;
        }

        return _current;
    }
}
