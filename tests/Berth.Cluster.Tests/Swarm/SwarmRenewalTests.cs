using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>A manager renews its own certificate before it expires, over an in-memory cluster on a fake clock.</summary>
public sealed class SwarmRenewalTests : OneNodeSwarmTest
{
    private readonly FakeTimeProvider _time;

    public SwarmRenewalTests()
        : this(new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    private SwarmRenewalTests(FakeTimeProvider time)
        : base(time) => _time = time;

    [Fact]
    public async Task AManagerRenewsItsCertificateWithTheSameRoleAndRootAndTheClustersCertExpiry()
    {
        await Node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        string root = File.ReadAllText(Paths.CaFile);
        using var first = SwarmStateFile.LoadIdentity(Paths).Import();
        NodeIdentity identity = NodeIdentity.Of(first);

        // swarm update --cert-expiry: under Docker's minimum refused with its words, 3 h taken for the next certificates.
        ClusterView view = await Node.InspectAsync();
        var tooShort = await Assert.ThrowsAsync<BerthException>(() => Node.UpdateAsync(view.Version, new SwarmUpdate(view.Record.Spec with { NodeCertExpiry = TimeSpan.FromMinutes(30) }, false, false)));
        Assert.Equal(ErrorKind.InvalidArgument, tooShort.Kind);
        Assert.Equal("minimum certificate expiry time is: 1h0m0s", tooShort.Message);
        await Node.UpdateAsync(view.Version, new SwarmUpdate(view.Record.Spec with { NodeCertExpiry = TimeSpan.FromHours(3) }, false, false));

        // Nothing before half the validity (90 days from the init, backdated by an hour) ...
        await AdvanceAsync(TimeSpan.FromDays(44));
        Assert.False(await SwarmTestSupport.PollAsync(() => Task.FromResult(Serial() != first.SerialNumber), TimeSpan.FromMilliseconds(300)));

        // ... and a new one past four fifths of it.
        await AdvanceAsync(TimeSpan.FromDays(29));
        Assert.True(await SwarmTestSupport.PollAsync(() => Task.FromResult(Serial() is { } serial && serial != first.SerialNumber)),
            "the certificate was not renewed by 80 % of its validity");
        DateTimeOffset renewedAt = _time.GetUtcNow();
        using var renewed = SwarmStateFile.LoadIdentity(Paths).Import();
        Assert.Equal(renewedAt - CertificateValidity.ClockSkewAllowance, new DateTimeOffset(renewed.NotBefore.ToUniversalTime()), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromHours(3) + CertificateValidity.ClockSkewAllowance, renewed.NotAfter - renewed.NotBefore);
        Assert.Equal(identity, NodeIdentity.Of(renewed));
        Assert.Equal(ClusterRole.Manager, NodeIdentity.Of(renewed).Role);
        Assert.Equal(root, File.ReadAllText(Paths.CaFile));
        Assert.NotNull(CaTrust.Issuer(renewed, CaBundle.Load(root), renewedAt));
        Assert.NotEqual(first.GetPublicKeyString(), renewed.GetPublicKeyString());

        // The 3 h certificate comes up again within its own 50–80 % (1–2.2 h after it was signed): it keeps being renewed.
        await AdvanceAsync(TimeSpan.FromMinutes(55));
        Assert.False(await SwarmTestSupport.PollAsync(() => Task.FromResult(Serial() != renewed.SerialNumber), TimeSpan.FromMilliseconds(300)));
        await AdvanceAsync(TimeSpan.FromMinutes(80));
        Assert.True(await SwarmTestSupport.PollAsync(() => Task.FromResult(Serial() is { } serial && serial != renewed.SerialNumber)), "the 3 h certificate was not renewed in time");
        Assert.Equal(SwarmLocalState.Active, Node.Local.State);
    }

    /// <summary>The clock moved at once, a moment after the renewer went to sleep (it wakes at least every 10 s, then looks at the clock).</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        await Task.Delay(200);
        _time.Advance(by);
    }

    /// <summary>The serial of the node's certificate once its key is written too (a renewal writes one after the other).</summary>
    private string? Serial()
    {
        try
        {
            using var certificate = SwarmStateFile.LoadIdentity(Paths).Import();
            return certificate.SerialNumber;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            return null;
        }
    }
}
