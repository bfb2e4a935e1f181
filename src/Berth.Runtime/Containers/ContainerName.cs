using System.Buffers;
using Berth.Core.Errors;

namespace Berth.Runtime.Containers;

/// <summary>Rules for runtime ids: they become file names (runc state, exit files), so no '/' and nothing odd.</summary>
public static class ContainerName
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    public static void Validate(string id)
    {
        if (string.IsNullOrEmpty(id) || id.AsSpan().ContainsAnyExcept(Allowed) || id[0] is '.' or '-')
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid container id \"{id}\": use letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
    }
}
