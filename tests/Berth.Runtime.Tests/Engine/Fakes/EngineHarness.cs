using System.Formats.Tar;
using System.Text;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Containers;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Runtime.Engine;
using Berth.Runtime.Images;
using Berth.Runtime.Volumes;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Tests.Engine.Fakes;

/// <summary>
/// The container engine's services composed as berthd composes them (src/Berth.Daemon/Daemon.cs), over an in-memory
/// store, a real image store in a temporary directory and <see cref="FakeContainerRuntime"/>: no root, no runc, no
/// kernel. Containers use <c>--network host</c>, which needs no namespace of their own.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string Image = "busy:latest";

    private readonly string _root;
    private readonly InMemoryStateStore _store = new();
    private readonly ImageStore _images;
    private readonly NetworkManager _networks;
    private readonly EndpointManager _endpoints;
    private readonly VolumeStore _volumeStore;
    private readonly IAsyncDisposable[] _services;
    private readonly ContainerVolumes _volumes;

    private EngineHarness(string root)
    {
        _root = root;
        _images = new ImageStore(Path.Combine(root, "images"), NullLogger<ImageStore>.Instance);
        _networks = new NetworkManager(new NetworkRepository(_store), new NetworkIpam(), new NetworkDriverRegistry([new FixedNetworkDriver(NetworkDrivers.Host)]), host: null);
        _endpoints = new EndpointManager(_networks, _store);
        _volumeStore = new VolumeStore(_store, Path.Combine(root, "volumes"));
        var containerNetworks = new ContainerNetworks(new NamespaceManager(Path.Combine(root, "netns")), _endpoints);

        var hub = new EventHub();
        var events = new ContainerEvents(hub);
        var directories = new ContainerDirectories(Path.Combine(root, "containers"));
        var logger = NullLogger.Instance;
        Records = new ContainerRecords(new ContainerRepository(_store), events);
        var processes = new ContainerProcesses(_images, Runtime, directories);
        var streams = new ContainerStreams(Records, Runtime, directories);
        _volumes = new ContainerVolumes(Records, _volumeStore, logger);
        var execs = new ExecSessions(Records, processes, events, logger);
        var health = new HealthMonitors(Records, processes, events, logger);
        var restarts = new RestartManager(Records, Slots, logger);
        var links = new ContainerLinks(Records, _endpoints);
        var ports = new ContainerPorts(_images, containerNetworks, logger);
        var attachments = new NetworkAttachments(containerNetworks, _endpoints, links, ports, events, directories, _images, logger);
        var cgroups = new ContainerCgroupCache(_ => null);
        var runner = new ContainerRunner(Records, Slots, Runtime, processes, attachments, _volumes, streams, health, restarts, execs, events, directories, cgroups, logger);
        Lifecycle = new ContainerLifecycle(Records, Slots, _images, Runtime, runner, restarts, _volumes, links, attachments, events, directories);
        Cgroups = new ContainerCgroups(Records, Slots, Runtime, cgroups, events, Berth.Linux.Cgroups.CgroupSupport.All);
        Events = hub;
        _services = [runner, restarts, health, execs, _volumes, Records];
    }

    public FakeContainerRuntime Runtime { get; } = new();

    public ContainerSlots Slots { get; } = new();

    public ContainerRecords Records { get; }

    public ContainerLifecycle Lifecycle { get; }

    public ContainerCgroups Cgroups { get; }

    public EventHub Events { get; }

    public static async Task<EngineHarness> StartAsync()
    {
        var harness = new EngineHarness(Path.Combine(Path.GetTempPath(), $"berth-engine-{Guid.NewGuid():N}"));
        await harness._images.ImportAsync(new MemoryStream(RootfsTar()), Image, ["CMD [\"sh\"]"]);
        return harness;
    }

    /// <summary>A container on the host's network (no namespace, no endpoint), created.</summary>
    public Task<ContainerRecord> CreateAsync(string name, RestartPolicy? restart = null, bool autoRemove = false) =>
        Lifecycle.CreateAsync(new ContainerCreateSpec { Image = Image, NetworkMode = NetworkMode.Host, RestartPolicy = restart ?? RestartPolicy.None, AutoRemove = autoRemove }, name);

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after 10 s.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 10 s");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        _volumeStore.Dispose();
        _endpoints.Dispose();
        _networks.Dispose();
        _images.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static byte[] RootfsTar()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/sh")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/true\n")),
            });
        }

        return buffer.ToArray();
    }
}
