using System.Globalization;

namespace Berth.Compose.Planning;

/// <summary>A service's <c>restart:</c> in Docker's terms: <c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure[:N]</c>.</summary>
public sealed record RestartPolicyValue(string Name, int MaximumRetryCount = 0)
{
    public static readonly RestartPolicyValue No = new("no");

    /// <summary>Null when <paramref name="restart"/> is none of Docker's policies.</summary>
    public static RestartPolicyValue? Parse(string? restart)
    {
        switch (restart)
        {
            case null or "" or "no":
                return No;
            case "always" or "unless-stopped" or "on-failure":
                return new RestartPolicyValue(restart);
        }

        const string OnFailure = "on-failure:";
        return restart.StartsWith(OnFailure, StringComparison.Ordinal)
            && int.TryParse(restart.AsSpan(OnFailure.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var retries)
            ? new RestartPolicyValue("on-failure", retries)
            : null;
    }
}
