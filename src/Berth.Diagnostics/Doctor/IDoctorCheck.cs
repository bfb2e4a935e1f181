namespace Berth.Diagnostics.Doctor;

/// <summary>
/// One area of <c>berth doctor</c> (macvlan, MTU, ports, DNS, host, cluster): looks at the live state through
/// <see cref="DiagnosticSources"/>, probes where arithmetic is not enough, changes nothing, and reports each thing it
/// looked at, healthy ones included (status ok), so a user sees what was checked.
/// </summary>
public interface IDoctorCheck
{
    /// <summary>The area, e.g. <c>macvlan</c>; the first word of each of its findings' check names.</summary>
    string Area { get; }

    Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken);
}
