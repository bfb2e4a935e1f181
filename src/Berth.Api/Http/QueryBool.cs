using Microsoft.AspNetCore.Http;

namespace Berth.Api.Http;

/// <summary>
/// Query booleans as moby's <c>httputils.BoolValue</c> reads them: <c>""</c>, <c>0</c>, <c>no</c>,
/// <c>false</c> and <c>none</c> (any case) are false, anything else is true. docker-py sends <c>True</c>/<c>False</c>.
/// </summary>
internal static class QueryBool
{
    public static bool Parse(string? value)
    {
        string text = (value ?? "").Trim();
        return !(text.Length == 0
            || text == "0"
            || text.Equals("no", StringComparison.OrdinalIgnoreCase)
            || text.Equals("false", StringComparison.OrdinalIgnoreCase)
            || text.Equals("none", StringComparison.OrdinalIgnoreCase));
    }

    public static bool Get(HttpRequest request, string name) => Parse(request.Query[name].ToString());
}
