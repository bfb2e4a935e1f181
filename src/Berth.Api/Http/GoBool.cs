using Berth.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Http;

/// <summary>
/// Query booleans that moby reads with Go's strict <c>strconv.ParseBool</c> (<c>status</c>, <c>insertDefaults</c>):
/// <c>1 t T TRUE true True</c> and <c>0 f F FALSE false False</c>; absent or empty is false; anything else a 400.
/// Most routes use the lenient <see cref="QueryBool"/> instead.
/// </summary>
internal static class GoBool
{
    private static readonly HashSet<string> True = ["1", "t", "T", "TRUE", "true", "True"];
    private static readonly HashSet<string> False = ["0", "f", "F", "FALSE", "false", "False"];

    public static bool Get(HttpRequest request, string name)
    {
        string value = request.Query[name].ToString();
        if (value.Length == 0 || False.Contains(value))
        {
            return false;
        }

        return True.Contains(value)
            ? true
            : throw new BerthException(ErrorKind.InvalidArgument, $"invalid value for {name}: {value}: strconv.ParseBool: parsing \"{value}\": invalid syntax");
    }
}
