using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>A root rotation carried out by a node over an in-memory cluster: from <c>swarm update</c> to the new root alone.</summary>
public sealed class SwarmRotationTests() : OneNodeSwarmTest(TimeProvider.System)
{
    [Fact]
    public async Task ForceRotateMovesTheNodeToANewRootAndTheTokensWithIt()
    {
        await Node.InitAsync(new SwarmInitOptions { AdvertiseAddress = "10.0.0.5" });
        ClusterView before = await Node.InspectAsync();
        string oldRoot = before.Record.CaCertificate;

        // The node reports its TLS in its heartbeat: trust root and issuer are the cluster's.
        Assert.True(await SwarmTestSupport.PollAsync(async () => (await Node.GetNodeAsync("self")).Tls is not null));
        NodeTlsReport first = (await Node.GetNodeAsync("self")).Tls!;
        Assert.Equal(oldRoot, CaBundle.Primary(first.TrustRoot));
        Assert.True(first.IssuedBy(oldRoot));

        await Node.UpdateAsync(before.Version, new SwarmUpdate(before.Record.Spec with { ForceRotate = 1 }, false, false));
        ClusterView rotating = await Node.InspectAsync();
        Assert.NotNull(rotating.Record.RootRotation);
        Assert.Equal(1ul, rotating.Record.Spec.ForceRotate);
        Assert.NotNull(await Cluster.Store.GetAsync(ClusterKeys.RotationCaKey));
        string newRoot = rotating.Record.RootRotation!.NewCaCertificate;

        Assert.True(await SwarmTestSupport.PollAsync(async () => (await Node.InspectAsync()).Record.RootRotation is null, TimeSpan.FromSeconds(40)));
        ClusterRecord after = (await Node.InspectAsync()).Record;
        Assert.Equal(newRoot, after.CaCertificate);
        Assert.Equal(CaDigest.Of(newRoot), JoinToken.Parse(after.WorkerToken).CaDigest);
        Assert.Equal(CaDigest.Of(newRoot), JoinToken.Parse(after.ManagerToken).CaDigest);
        Assert.Null(await Cluster.Store.GetAsync(ClusterKeys.RotationCaKey));

        // The node's files: the new root alone, and a certificate of it; the old root verifies it no more.
        Assert.True(await SwarmTestSupport.PollAsync(() => Task.FromResult(CaBundle.Split(File.ReadAllText(Paths.CaFile)).SequenceEqual([newRoot]))));
        using var certificate = SwarmStateFile.LoadIdentity(Paths).Import();
        X509Certificate2Collection roots = CaBundle.Load(newRoot);
        Assert.NotNull(CaTrust.Issuer(certificate, roots));
        Assert.Null(CaTrust.Issuer(certificate, CaBundle.Load(oldRoot)));
        Assert.Equal(ClusterRole.Manager, NodeIdentity.Of(certificate).Role);

        // What the heartbeat reports follows: the new root alone, and a certificate of it.
        Assert.True(await SwarmTestSupport.PollAsync(async () => (await Node.GetNodeAsync("self")).Tls is { } tls && tls.TrustRoot == newRoot));
        Assert.True((await Node.GetNodeAsync("self")).Tls!.IssuedBy(newRoot));
    }
}
