namespace Berth.Diagnostics.Doctor;

/// <summary>
/// One line of <c>berth doctor</c>'s table: the check (e.g. <c>macvlan host access</c>), what it looked at (a network,
/// a container, a port, the host), what it found, and the fix as a command a user can run (null when nothing is to fix).
/// </summary>
public sealed record DoctorFinding(string Check, string Subject, DoctorStatus Status, string Found, string? Fix = null)
{
    public static DoctorFinding Ok(string check, string subject, string found) => new(check, subject, DoctorStatus.Ok, found);

    public static DoctorFinding Warning(string check, string subject, string found, string? fix) => new(check, subject, DoctorStatus.Warning, found, fix);

    public static DoctorFinding Problem(string check, string subject, string found, string? fix) => new(check, subject, DoctorStatus.Problem, found, fix);
}
