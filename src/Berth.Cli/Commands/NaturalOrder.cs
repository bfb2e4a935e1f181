namespace Berth.Cli.Commands;

/// <summary>docker's <c>sortorder.NaturalLess</c>: runs of digits compare by value, so net2 sorts before net10.</summary>
public sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        x ??= "";
        y ??= "";
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (si < x.Length && x[si] == '0')
                {
                    si++;
                }

                while (sj < y.Length && y[sj] == '0')
                {
                    sj++;
                }

                int ei = si, ej = sj;
                while (ei < x.Length && char.IsAsciiDigit(x[ei]))
                {
                    ei++;
                }

                while (ej < y.Length && char.IsAsciiDigit(y[ej]))
                {
                    ej++;
                }

                var byLength = (ei - si).CompareTo(ej - sj);
                if (byLength != 0)
                {
                    return byLength;
                }

                var byDigits = string.CompareOrdinal(x, si, y, sj, ei - si);
                if (byDigits != 0)
                {
                    return byDigits;
                }

                i = ei;
                j = ej;
                continue;
            }

            if (x[i] != y[j])
            {
                return x[i].CompareTo(y[j]);
            }

            i++;
            j++;
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }
}
