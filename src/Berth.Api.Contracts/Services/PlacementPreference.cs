namespace Berth.Api.Contracts;

/// <summary>One <c>--placement-pref</c>; spread is the only kind Docker has.</summary>
public sealed class PlacementPreference
{
    public SpreadOver? Spread { get; set; }
}
