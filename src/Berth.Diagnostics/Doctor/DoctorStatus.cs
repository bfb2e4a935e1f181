namespace Berth.Diagnostics.Doctor;

/// <summary>What a check found: all well, something that may bite, or something that is broken now.</summary>
public enum DoctorStatus
{
    Ok,
    Warning,
    Problem,
}
