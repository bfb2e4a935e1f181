using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Secrets;
using Berth.Cluster.Services;
using Berth.Cluster.Tests.Services;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Secrets;

/// <summary>
/// A service's registry credentials (<c>--with-registry-auth</c>): sealed into its spec by the manager, kept or replaced
/// by updates as moby's <c>registryAuthFrom</c> says, left out of what makes a redeploy, and handed only to the node of
/// the task that pulls with them.
/// </summary>
public sealed class ServiceRegistryAuthTests : IAsyncLifetime
{
    private const string FirstAuth = "eyJ1c2VybmFtZSI6Im1lIiwicGFzc3dvcmQiOiJmaXJzdCJ9";
    private const string SecondAuth = "eyJ1c2VybmFtZSI6Im1lIiwicGFzc3dvcmQiOiJzZWNvbmQifQ==";
    private readonly byte[] _managerSecret = RandomNumberGenerator.GetBytes(32);
    private ServicesHarness _h = null!;
    private ServiceManager _services = null!;
    private SecretManager _secrets = null!;

    public Task InitializeAsync()
    {
        _h = new ServicesHarness();
        Func<SecretSeal> seal = () => SecretSeal.FromManagerSecret(_managerSecret);
        _services = new ServiceManager(_h.Store, _h.Networking, _h.Time, NullLogger.Instance, seal);
        _secrets = new SecretManager(_h.Store, seal, _h.Time, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Credentials_are_sealed_for_their_service_and_never_stored_as_sent()
    {
        var created = await _services.CreateAsync(ServicesHarness.Spec("web"), new RegistryAuthUpdate(FirstAuth));
        byte[] stored = (await _h.Store.GetAsync(Cluster.Swarm.ClusterKeys.Service(created.Id)))!.Value.ToArray();
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.ASCII.GetBytes(FirstAuth)));
        string sealedAuth = (await Record("web")).Spec.Task.Container.SealedRegistryAuth!;

        var seal = SecretSeal.FromManagerSecret(_managerSecret);
        Assert.Equal(FirstAuth, seal.OpenRegistryAuth(created.Id, sealedAuth));
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<BerthException>(() => seal.OpenRegistryAuth(ServiceId.New(), sealedAuth)).Kind);
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<BerthException>(() => SecretSeal.FromManagerSecret(RandomNumberGenerator.GetBytes(32)).OpenRegistryAuth(created.Id, sealedAuth)).Kind);

        await _services.CreateAsync(ServicesHarness.Spec("anonymous"));
        Assert.Null((await Record("anonymous")).Spec.Task.Container.SealedRegistryAuth);
    }

    [Fact]
    public async Task Updates_keep_replace_or_take_back_the_credentials_as_moby_does_and_redeploy_nothing_for_them()
    {
        var id = (await _services.CreateAsync(ServicesHarness.Spec("web"), new RegistryAuthUpdate(FirstAuth))).Id;
        var seal = SecretSeal.FromManagerSecret(_managerSecret);
        string Opened(ServiceRecord record) => seal.OpenRegistryAuth(id, record.Spec.Task.Container.SealedRegistryAuth!);

        // No header: the current spec's are kept (registryAuthFrom=spec); a scale redeploys nothing.
        var record = await Record("web");
        await _services.UpdateAsync("web", await VersionAsync("web"), ServicesHarness.Spec("web", replicas: 2), rollback: false);
        Assert.Equal(FirstAuth, Opened(await Record("web")));

        // New ones replace them without a new spec version: the tasks running need not pull again.
        await _services.UpdateAsync("web", await VersionAsync("web"), ServicesHarness.Spec("web", replicas: 2), rollback: false, new RegistryAuthUpdate(SecondAuth));
        var replaced = await Record("web");
        Assert.Equal(SecondAuth, Opened(replaced));
        Assert.Equal(record.SpecVersion, replaced.SpecVersion);
        Assert.True(ServiceRecords.SameDeployment(record.Spec, replaced.Spec));

        // registryAuthFrom=previous-spec takes the previous spec's (the first ones, before the replacement).
        await _services.UpdateAsync("web", await VersionAsync("web"), ServicesHarness.Spec("web", replicas: 2), rollback: false, new RegistryAuthUpdate(null, FromPreviousSpec: true));
        Assert.Equal(FirstAuth, Opened(await Record("web")));

        // A rollback takes the previous spec with its own credentials.
        await _services.UpdateAsync("web", await VersionAsync("web"), ServicesHarness.Spec("web", replicas: 3, image: "busybox:v2"), rollback: false, new RegistryAuthUpdate(SecondAuth));
        Assert.Equal(SecondAuth, Opened(await Record("web")));
        await _services.UpdateAsync("web", await VersionAsync("web"), null, rollback: true);
        var rolledBack = await Record("web");
        Assert.Equal("busybox:latest", rolledBack.Spec.Task.Container.Image);
        Assert.Equal(FirstAuth, Opened(rolledBack));
    }

    [Fact]
    public async Task A_node_is_handed_only_its_own_tasks_credentials_and_a_manager_without_the_key_refuses_to_seal()
    {
        NodeId worker = await _h.AddNodeAsync("w1");
        await _h.LeadAsync();
        await _services.CreateAsync(ServicesHarness.Spec("web"), new RegistryAuthUpdate(FirstAuth));
        await _services.CreateAsync(ServicesHarness.Spec("plain"));
        await _h.ConvergeAsync(1);
        var tasks = await _h.TasksAsync();
        var web = tasks.Single(t => t.Record.Spec.Container.SealedRegistryAuth is not null).Record;
        var plain = tasks.Single(t => t.Record.Spec.Container.SealedRegistryAuth is null).Record;
        NodeId other = web.Node == worker ? _h.Self : worker;

        Assert.Equal(FirstAuth, await _secrets.TaskRegistryAuthAsync(web.Node!.Value, web.Id));
        Assert.Null(await _secrets.TaskRegistryAuthAsync(plain.Node!.Value, plain.Id));
        var refused = await Assert.ThrowsAsync<BerthException>(() => _secrets.TaskRegistryAuthAsync(other, web.Id));
        Assert.Equal(ErrorKind.Forbidden, refused.Kind);

        var keyless = new ServiceManager(_h.Store, _h.Networking, _h.Time, NullLogger.Instance);
        var unsealable = await Assert.ThrowsAsync<BerthException>(() => keyless.CreateAsync(ServicesHarness.Spec("other"), new RegistryAuthUpdate(FirstAuth)));
        Assert.Equal(ErrorKind.Unavailable, unsealable.Kind);
        Assert.Contains("cannot seal registry credentials", unsealable.Message, StringComparison.Ordinal);
    }

    private async Task<ServiceRecord> Record(string name) => (await _services.GetAsync(name)).Record;

    private async Task<long> VersionAsync(string name) => (await _services.GetAsync(name)).Version;
}
