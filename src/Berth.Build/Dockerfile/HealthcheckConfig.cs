using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// A HEALTHCHECK as Docker stores it in the image: <see cref="Test"/> is <c>["NONE"]</c>, <c>["CMD", args…]</c> or
/// <c>["CMD-SHELL", command]</c>; zero durations and retries mean "inherit the default".
/// </summary>
public sealed record HealthcheckConfig(
    ImmutableArray<string> Test, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, TimeSpan StartInterval, int Retries)
{
    public bool IsDisabled => Test is ["NONE"];
}
