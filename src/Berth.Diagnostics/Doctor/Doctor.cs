using Berth.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Diagnostics.Doctor;

/// <summary>
/// <c>berth doctor</c> inside berthd: resolves what was asked about, runs every check side by side (each bounded by
/// <see cref="CheckTimeout"/>, so a probe that hangs costs one line, not the report) and returns their findings in the
/// checks' order. A check that fails reports that as a problem of its own rather than failing the whole report.
/// </summary>
public sealed class Doctor(DiagnosticSources sources, IReadOnlyList<IDoctorCheck> checks, ILogger<Doctor>? logger = null)
{
    /// <summary>The longest one check may take, probes included.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);

    private readonly ILogger logger = logger ?? NullLogger<Doctor>.Instance;

    public IReadOnlyList<IDoctorCheck> Checks => checks;

    /// <summary>The checks berthd runs, in the order of the guide's troubleshooting table, then the host's and the cluster's.</summary>
    public static IReadOnlyList<IDoctorCheck> DefaultChecks() =>
    [
        new Checks.MacvlanCheck(),
        new Checks.MtuCheck(),
        new Checks.PortsCheck(),
        new Checks.DnsCheck(),
        new Checks.HostForwardingCheck(),
        new Checks.HostFirewallCheck(),
        new Checks.BridgeNetfilterCheck(),
        new Checks.HostRoutesCheck(),
        new Checks.ClusterQuorumCheck(),
        new Checks.ClusterPortsCheck(),
        new Checks.ClusterIngressCheck(),
        new Checks.ClusterHostPortsCheck(),
    ];

    /// <summary>
    /// Runs the checks for <paramref name="networkName"/> or <paramref name="containerName"/> (an id, name or prefix;
    /// NotFound as Docker's inspect when there is none), or for everything when both are null.
    /// </summary>
    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(string? networkName, string? containerName, CancellationToken cancellationToken)
    {
        if (networkName is not null && containerName is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "give --network or --container, not both");
        }

        var scope = new DoctorScope(
            networkName is null ? null : await sources.Networks.GetAsync(networkName, cancellationToken).ConfigureAwait(false),
            containerName is null ? null : sources.Containers.Get(containerName));
        var runs = checks.Select(check => RunOneAsync(check, scope, cancellationToken)).ToList();
        var results = await Task.WhenAll(runs).ConfigureAwait(false);
        return [.. results.SelectMany(findings => findings)];
    }

    private async Task<IReadOnlyList<DoctorFinding>> RunOneAsync(IDoctorCheck check, DoctorScope scope, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            // Off the caller's thread: a check may block on netlink or a namespace worker.
            return await Task.Run(() => check.RunAsync(sources, scope, timeout.Token), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [DoctorFinding.Problem(check.Area, "doctor", $"the {check.Area} checks did not finish within {CheckTimeout.TotalSeconds:0} s", "see berthd's log")];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            DoctorLog.CheckFailed(logger, check.Area, error);
            return [DoctorFinding.Problem(check.Area, "doctor", $"the {check.Area} checks failed: {error.Message}", "see berthd's log")];
        }
    }
}
