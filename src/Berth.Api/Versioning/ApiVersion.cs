using System.Globalization;

namespace Berth.Api.Versioning;

/// <summary>A Docker Engine API version, <c>major.minor</c> (compared numerically: 1.9 &lt; 1.10).</summary>
public readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    /// <summary>The newest version Berth speaks; also the version of a request without <c>/v1.NN</c>.</summary>
    public static readonly ApiVersion Maximum = new(1, 45);

    /// <summary>The oldest version accepted (moby 25 and later).</summary>
    public static readonly ApiVersion Minimum = new(1, 24);

    /// <summary>From 1.44 <c>CheckDuplicate</c> is gone and duplicate network names are always refused.</summary>
    public static readonly ApiVersion AlwaysCheckDuplicate = new(1, 44);

    public static bool TryParse(string? text, out ApiVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1)
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
