namespace Berth.Bench;

/// <summary>A benchmark's target: the measured ratio, the most it may be, and whether it was met.</summary>
internal sealed record TargetCheck(double Measured, double AtMost)
{
    public bool Met => Measured <= AtMost;
}
