using Berth.Core.Errors;

namespace Berth.Network.Endpoints;

/// <summary>
/// One <c>--link NAME[:ALIAS]</c> of a container on one network. On a user-defined network it is a name only the
/// linking container resolves: <see cref="Alias"/> (and <c>ALIAS.NETWORK</c>) answers with the address of whatever
/// <see cref="Container"/> names on that network (libnetwork's per-endpoint aliases). Nothing checks that the
/// container exists: as with Docker, a link to an unknown container simply does not resolve until it appears.
/// </summary>
public sealed record EndpointLink(string Container, string Alias)
{
    /// <summary>
    /// Docker's link syntax: <c>name</c> (the alias is the name), <c>name:alias</c>, or the form inspect shows,
    /// <c>/name:/parent/alias</c>.
    /// </summary>
    public static EndpointLink Parse(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new BerthException(ErrorKind.InvalidArgument, "empty string specified for links");
        }

        string[] parts = value.Split(':');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"bad format for links: {value}; give --link NAME or --link NAME:ALIAS");
        }

        if (parts.Length == 1)
        {
            return new EndpointLink(value, value);
        }

        return parts[0].StartsWith('/')
            ? new EndpointLink(parts[0][1..], parts[1][(parts[1].LastIndexOf('/') + 1)..])
            : new EndpointLink(parts[0], parts[1]);
    }

    /// <summary><c>name:alias</c>, as Docker shows an endpoint's links.</summary>
    public override string ToString() => Container + ":" + Alias;
}
