using System.Collections.Immutable;
using System.Globalization;

namespace Berth.Runtime.Users;

/// <summary>
/// /etc/subuid and /etc/subgid (subuid(5)): <c>NAME:START:COUNT</c> lines, NAME a user (group) name or its
/// number. The ranges of one owner, in file order, are what a remapped container's ids are laid over.
/// </summary>
public static class SubordinateIds
{
    public const string SubuidFile = "/etc/subuid";

    public const string SubgidFile = "/etc/subgid";

    /// <summary>The ranges owned by <paramref name="name"/> (or by its number <paramref name="id"/>), in file order; malformed lines are skipped.</summary>
    public static ImmutableArray<(uint Start, uint Count)> RangesOf(string text, string name, uint? id)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? number = id?.ToString(CultureInfo.InvariantCulture);
        var ranges = ImmutableArray.CreateBuilder<(uint, uint)>();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Trim().Split(':');
            if (fields.Length != 3 || fields[0].StartsWith('#') || (fields[0] != name && fields[0] != number))
            {
                continue;
            }

            if (TryNumber(fields[1], out uint start) && TryNumber(fields[2], out uint count) && count > 0)
            {
                ranges.Add((start, count));
            }
        }

        return ranges.ToImmutable();
    }

    /// <summary>
    /// The lowest start at or above <paramref name="floor"/> of <paramref name="size"/> ids that no line of
    /// <paramref name="text"/> holds (moby idtools <c>findNextRangeStart</c>, for a user that has none yet).
    /// </summary>
    public static uint FreeStart(string text, uint floor, uint size)
    {
        ArgumentNullException.ThrowIfNull(text);
        var taken = new List<(ulong Start, ulong End)>();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Trim().Split(':');
            if (fields.Length == 3 && TryNumber(fields[1], out uint start) && TryNumber(fields[2], out uint count))
            {
                taken.Add((start, (ulong)start + count));
            }
        }

        ulong candidate = floor;
        foreach (var (start, end) in taken.OrderBy(t => t.Start))
        {
            if (candidate + size <= start)
            {
                break;
            }

            candidate = Math.Max(candidate, end);
        }

        return candidate + size <= uint.MaxValue
            ? (uint)candidate
            : throw new Core.Errors.BerthException(Core.Errors.ErrorKind.Unavailable, $"no free range of {size} subordinate ids above {floor} is left in /etc/subuid or /etc/subgid");
    }

    private static bool TryNumber(string text, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
