using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Secrets;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Cluster.Tests.Services;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Secrets;

/// <summary>
/// Secrets and configs over an in-memory cluster store: records and their names, the seal (what a worker reading etcd
/// sees), Docker's validation and messages, labels-only updates, the in-use refusal and its fence against a service
/// create racing the removal, and what a node is handed for its task.
/// </summary>
public sealed class SecretManagerTests : IAsyncLifetime
{
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes("correct horse battery staple");
    private readonly byte[] _managerSecret = RandomNumberGenerator.GetBytes(32);
    private ServicesHarness _h = null!;
    private SwitchingStore _store = null!;
    private SecretManager _secrets = null!;
    private ServiceManager _services = null!;

    public Task InitializeAsync()
    {
        _h = new ServicesHarness();
        _store = new SwitchingStore(_h.Memory);
        _services = new ServiceManager(_store, _h.Networking, _h.Time, NullLogger.Instance);
        _secrets = Manager(_managerSecret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private SecretManager Manager(byte[] secret) => new(_store, () => SecretSeal.FromManagerSecret(secret), _h.Time, NullLogger.Instance);

    [Fact]
    public async Task ASecretIsStoredSealedAndNeverShownWhileAConfigIsKeptAndShownInClear()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("db_pw", Plain) { Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("a", "b")]) });
        SecretId config = await _secrets.CreateAsync(SecretKind.Config, new SecretSpec("app.conf", Plain));

        // What a worker reading etcd gets: neither the bytes nor their base64 (the record is JSON).
        byte[] stored = (await _store.GetAsync($"swarm/secrets/{secret.Value}"))!.Value.ToArray();
        Assert.Equal(-1, stored.AsSpan().IndexOf(Plain));
        Assert.Equal(-1, stored.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(Plain))));
        Assert.Equal(secret.Value, Encoding.UTF8.GetString((await _store.GetAsync("swarm/secret-names/db_pw"))!.Value.Span));
        Assert.NotNull(await _store.GetAsync($"swarm/secret-refs/{secret.Value}"));

        var view = await _secrets.GetAsync(SecretKind.Secret, "db_pw");
        Assert.Equal((secret, "db_pw", "b", (byte[]?)null), (view.Record.Id, view.Record.Name, view.Record.Labels["a"], view.Data));
        Assert.Equal(view.Version, (await _store.GetAsync($"swarm/secrets/{secret.Value}"))!.ModRevision);
        Assert.Equal(Plain, (await _secrets.GetAsync(SecretKind.Config, config.Value[..6])).Data);
        Assert.Equal(Convert.ToBase64String(Plain), Assert.Single(await _secrets.ListAsync(SecretKind.Config)).Record.Data);
        Assert.Equal(secret, Assert.Single(await _secrets.ListAsync(SecretKind.Secret)).Record.Id);
        await AssertFailsAsync(ErrorKind.NotFound, "secret nosuch not found", () => _secrets.GetAsync(SecretKind.Secret, "nosuch"));
        await AssertFailsAsync(ErrorKind.NotFound, "config db_pw not found", () => _secrets.GetAsync(SecretKind.Config, "db_pw"));
    }

    [Fact]
    public async Task ASealOpensOnlyWithTheManagersKeyAndOnlyInItsOwnRecord()
    {
        var seal = SecretSeal.FromManagerSecret(_managerSecret);
        var id = SecretId.New();
        string sealedText = seal.Seal(SecretKind.Secret, id, Plain);
        Assert.Equal(Plain, seal.Open(SecretKind.Secret, id, sealedText));

        var other = SecretSeal.FromManagerSecret(RandomNumberGenerator.GetBytes(32));
        var wrongKey = Assert.Throws<BerthException>(() => other.Open(SecretKind.Secret, id, sealedText));
        Assert.Equal(ErrorKind.Forbidden, wrongKey.Kind);
        Assert.StartsWith($"secret {id.Value} does not open with this manager's key", wrongKey.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<BerthException>(() => seal.Open(SecretKind.Secret, SecretId.New(), sealedText)).Kind);

        // The CA key's own seal and this one never share a key: the raw managers' secret does not open it either.
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<BerthException>(() => Pki.CaKeySeal.Open(sealedText, _managerSecret)).Kind);
    }

    [Theory]
    [InlineData("", 1, "rpc error: code = InvalidArgument desc = name must be provided")]
    [InlineData("-bad", 1, "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]")]
    [InlineData("bad/name", 1, "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]")]
    [InlineData("ok", 0, "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes")]
    [InlineData("ok", 512000, "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes")]
    public async Task BadNamesAndSizesAreRefusedAsSwarmkitDoesAndNothingIsWritten(string name, int size, string message)
    {
        await AssertFailsAsync(ErrorKind.InvalidArgument, message, () => _secrets.CreateAsync(SecretKind.Secret, new SecretSpec(name, new byte[size])));
        Assert.Empty(await _store.ListAsync("swarm/"));
    }

    [Fact]
    public async Task NameLimitsAndSizeLimitsPerKind()
    {
        await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec(new string('a', 64), new byte[511999]));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = invalid name", () => _secrets.CreateAsync(SecretKind.Secret, new SecretSpec(new string('a', 65), Plain)));
        await _secrets.CreateAsync(SecretKind.Config, new SecretSpec("big.conf", new byte[600 * 1024]));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = config data must be larger than 0 and less than 1024000 bytes",
            () => _secrets.CreateAsync(SecretKind.Config, new SecretSpec("huge.conf", new byte[1024000])));
        await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        await AssertFailsAsync(ErrorKind.Conflict, "rpc error: code = AlreadyExists desc = secret pw already exists", () => _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain)));
        await _secrets.CreateAsync(SecretKind.Config, new SecretSpec("pw", Plain));
    }

    [Fact]
    public async Task AnUpdateChangesOnlyLabelsAtTheCurrentVersion()
    {
        await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        var before = await _secrets.GetAsync(SecretKind.Secret, "pw");
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("com.docker.stack.namespace", "app")]);

        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = only updates to Labels are allowed",
            () => _secrets.UpdateAsync(SecretKind.Secret, "pw", before.Version, new SecretSpec("pw2", null)));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = only updates to Labels are allowed",
            () => _secrets.UpdateAsync(SecretKind.Secret, "pw", before.Version, new SecretSpec("pw", Encoding.UTF8.GetBytes("other"))));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "update out of sequence", () => _secrets.UpdateAsync(SecretKind.Secret, "pw", before.Version - 1, new SecretSpec("pw", null)));

        // The same bytes again (what stack deploy sends) are fine.
        await _secrets.UpdateAsync(SecretKind.Secret, "pw", before.Version, new SecretSpec("pw", Plain) { Labels = labels });
        var after = await _secrets.GetAsync(SecretKind.Secret, before.Record.Id.Value);
        Assert.True(after.Version > before.Version);
        Assert.Equal("app", after.Record.Labels["com.docker.stack.namespace"]);
        Assert.Equal(before.Record.Data, after.Record.Data);
    }

    [Fact]
    public async Task ASecretAServiceUsesCannotBeRemovedUntilTheServiceGoes()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        SecretId config = await _secrets.CreateAsync(SecretKind.Config, new SecretSpec("app.conf", Plain));
        await _services.CreateAsync(WithFiles("web", secret, config));
        await _services.CreateAsync(WithFiles("api", secret, null));

        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = secret 'pw' is in use by the following services: api, web",
            () => _secrets.RemoveAsync(SecretKind.Secret, "pw"));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = config 'app.conf' is in use by the following service: web",
            () => _secrets.RemoveAsync(SecretKind.Config, config.Value));
        await _services.RemoveAsync("web");
        await _services.RemoveAsync("api");
        await _secrets.RemoveAsync(SecretKind.Secret, "pw");
        await _secrets.RemoveAsync(SecretKind.Config, "app.conf");
        Assert.DoesNotContain(await _store.ListAsync("swarm/"), e => e.Key.Contains("secret", StringComparison.Ordinal) || e.Key.Contains("config", StringComparison.Ordinal));
        await AssertFailsAsync(ErrorKind.NotFound, "secret pw not found", () => _secrets.RemoveAsync(SecretKind.Secret, "pw"));
    }

    [Fact]
    public async Task AServiceNamingAMissingSecretIsRefusedAsSwarmkitDoes()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        var renamed = WithFiles("web", secret, null);
        renamed = renamed with { Task = renamed.Task with { Container = renamed.Task.Container with { Secrets = [renamed.Task.Container.Secrets[0] with { Name = "other" }] } } };
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = secret not found: other", () => _services.CreateAsync(renamed));
        await AssertFailsAsync(ErrorKind.InvalidArgument, "rpc error: code = InvalidArgument desc = config not found: app.conf",
            () => _services.CreateAsync(WithFiles("web", secret, SecretId.New())));
        Assert.Empty(await _store.ListAsync(ClusterKeys.Services));
    }

    [Fact]
    public async Task AServiceCreateCommittedBetweenTheRemovalsReadsAndItsWriteMakesTheRemovalFail()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        // The removal has read the services (none); just before its transaction a service taking the secret up commits.
        _store.BeforeNextTransaction(() => _services.CreateAsync(WithFiles("late", secret, null)));

        await AssertFailsAsync(ErrorKind.InvalidArgument, "secret 'pw' is in use by the following service: late", () => _secrets.RemoveAsync(SecretKind.Secret, "pw"));
        Assert.NotNull(await _store.GetAsync($"swarm/secrets/{secret.Value}"));
        Assert.Single(await _store.ListAsync(ClusterKeys.Services));
    }

    [Fact]
    public async Task ARemovalCommittedBetweenAServiceCreatesReadsAndItsWriteMakesTheCreateFail()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        _store.BeforeNextTransaction(() => _secrets.RemoveAsync(SecretKind.Secret, "pw"));

        await AssertFailsAsync(ErrorKind.InvalidArgument, "secret not found: pw", () => _services.CreateAsync(WithFiles("web", secret, null)));
        Assert.Empty(await _store.ListAsync(ClusterKeys.Services));
        Assert.Null(await _store.GetAsync($"swarm/secrets/{secret.Value}"));
    }

    [Fact]
    public async Task ANodeIsHandedOnlyItsOwnTasksFilesInClear()
    {
        SecretId secret = await _secrets.CreateAsync(SecretKind.Secret, new SecretSpec("pw", Plain));
        SecretId config = await _secrets.CreateAsync(SecretKind.Config, new SecretSpec("app.conf", Encoding.UTF8.GetBytes("x=1")));
        NodeId worker = await _h.AddNodeAsync("w1");
        await _h.LeadAsync();
        await _services.CreateAsync(WithFiles("web", secret, config));
        await _h.ConvergeAsync(1);
        TaskRecord task = Assert.Single(await _h.TasksAsync()).Record;
        NodeId other = task.Node == worker ? _h.Self : worker;

        var files = await _secrets.TaskFilesAsync(task.Node!.Value, task.Id);
        Assert.Equal([(SecretKind.Secret, "pw", "correct horse battery staple"), (SecretKind.Config, "app.conf", "x=1")],
            files.Select(f => (f.Kind, f.Name, Encoding.UTF8.GetString(f.Data))));
        await AssertFailsAsync(ErrorKind.Forbidden, $"task {task.Id.Value} is not assigned to node {other.Value}", () => _secrets.TaskFilesAsync(other, task.Id));

        // A manager holding another swarm's key cannot open them.
        await AssertFailsAsync(ErrorKind.Forbidden, "does not open with this manager's key", () => Manager(RandomNumberGenerator.GetBytes(32)).TaskFilesAsync(task.Node!.Value, task.Id));
    }

    [Fact]
    public void ReferencesAreCheckedAsSwarmkitChecksThem()
    {
        var spec = WithFiles("web", SecretId.New(), null);
        var first = spec.Task.Container.Secrets[0];
        var twice = spec with { Task = spec.Task with { Container = spec.Task.Container with { Secrets = [first, first with { Id = SecretId.New().Value, Name = "pw2" }] } } };
        Assert.Equal("secret references 'pw' and 'pw2' have a conflicting target: 'pw'", Assert.Throws<BerthException>(() => ServiceSpecValidator.Validate(twice)).Message);
        var noTarget = spec with { Task = spec.Task with { Container = spec.Task.Container with { Secrets = [first with { File = new TaskFileTarget("") }] } } };
        Assert.Equal("malformed file secret reference, invalid target file name provided", Assert.Throws<BerthException>(() => ServiceSpecValidator.Validate(noTarget)).Message);
        Assert.Equal("/run/secrets/pw", TaskFileMounts.TargetOf(SecretKind.Secret, first.File));
        Assert.Equal("/app.conf", TaskFileMounts.TargetOf(SecretKind.Config, new TaskFileTarget("app.conf")));
        Assert.Equal("/etc/app/app.conf", TaskFileMounts.TargetOf(SecretKind.Config, new TaskFileTarget("/etc/app/app.conf")));
    }

    private static ServiceSpec WithFiles(string name, SecretId secret, SecretId? config)
    {
        var spec = ServicesHarness.Spec(name);
        return spec with
        {
            Task = spec.Task with
            {
                Container = spec.Task.Container with
                {
                    Secrets = [new TaskFileReference(secret.Value, "pw", new TaskFileTarget("pw") { Uid = "1000", Mode = Convert.ToUInt32("400", 8) })],
                    Configs = config is { } c ? [new TaskFileReference(c.Value, "app.conf", new TaskFileTarget("/etc/app.conf"))] : [],
                },
            },
        };
    }

    private static async Task AssertFailsAsync(ErrorKind kind, string message, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<BerthException>(action);
        Assert.Equal(kind, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
