using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>A <c>-v /host:/ctr[:ro]</c> bind mount.</summary>
public sealed record BindMount(string Source, string Destination, bool ReadOnly = false)
{
    /// <summary>Parses Docker's <c>/host:/ctr[:ro|rw]</c> form (absolute paths only; named volumes are not runtime business).</summary>
    public static BindMount Parse(string value)
    {
        string[] parts = value.Split(':');
        if (parts.Length is < 2 or > 3 || !parts[0].StartsWith('/') || !parts[1].StartsWith('/'))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid bind mount \"{value}\": use /host/path:/container/path[:ro]");
        }

        bool readOnly = parts.Length == 3 && parts[2] switch
        {
            "ro" => true,
            "rw" => false,
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"invalid bind mount \"{value}\": mode \"{parts[2]}\" is neither ro nor rw"),
        };
        return new BindMount(parts[0], parts[1], readOnly);
    }
}
