using System.Text.RegularExpressions;
using Berth.Core.Errors;
using Berth.Core.Naming;
using Berth.Runtime.Images;

namespace Berth.Api.Images;

/// <summary>
/// distribution/reference's <c>FamiliarMatch</c>: Go's <c>path.Match</c> (<see cref="PathPattern"/>) against
/// <c>bb:latest</c>, then against the name alone (<c>bb</c>).
/// </summary>
internal static class ReferencePattern
{
    public static bool Matches(string pattern, ImageReference reference)
    {
        Regex regex;
        try
        {
            regex = PathPattern.Compile(pattern);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            // FamiliarMatch's ErrBadPattern: docker's filter ignores the error, so nothing matches.
            return false;
        }

        return regex.IsMatch(reference.FamiliarString) || regex.IsMatch(reference.FamiliarRepository);
    }
}
