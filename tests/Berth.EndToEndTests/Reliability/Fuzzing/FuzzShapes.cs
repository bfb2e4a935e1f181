using System.Text.Json.Nodes;

namespace Berth.Fuzzing;

/// <summary>
/// Valid bodies of the Docker API's request shapes (ContainerConfig+HostConfig, NetworkCreateRequest, VolumeCreateBody,
/// ExecConfig, …) with names the fuzzer owns (<see cref="FuzzNames.Prefix"/>), the starting point every mutation breaks.
/// </summary>
public static class FuzzShapes
{
    /// <summary>
    /// A swarm init or join that can never succeed, whatever single field a mutation then changes: two fields are
    /// invalid on their own (an address no host has and a port out of range), so the daemon never becomes a manager.
    /// </summary>
    public static JsonObject Unacceptable(FuzzBody body) => body == FuzzBody.SwarmSpec
        ? new JsonObject { ["ListenAddr"] = "256.0.0.1:99999", ["AdvertiseAddr"] = "256.0.0.2:99999", ["RemoteAddrs"] = new JsonArray("256.0.0.3:99999"), ["JoinToken"] = "SWMTKN-fz", ["Spec"] = new JsonObject() }
        : Of(body, "", "");

    public static JsonObject Of(FuzzBody body, string name, string image) => body switch
    {
        FuzzBody.ContainerCreate => new JsonObject
        {
            ["Image"] = image,
            ["Cmd"] = new JsonArray("sh", "-c", "true"),
            ["Env"] = new JsonArray("A=1"),
            ["Labels"] = new JsonObject { ["fuzz"] = "1" },
            ["ExposedPorts"] = new JsonObject { ["80/tcp"] = new JsonObject() },
            ["HostConfig"] = new JsonObject
            {
                ["Memory"] = 64 << 20,
                ["PortBindings"] = new JsonObject { ["80/tcp"] = new JsonArray(new JsonObject { ["HostIp"] = "127.0.0.1", ["HostPort"] = "" }) },
                ["RestartPolicy"] = new JsonObject { ["Name"] = "no" },
            },
        },
        FuzzBody.ContainerUpdate => new JsonObject { ["Memory"] = 128 << 20, ["CpuShares"] = 512, ["RestartPolicy"] = new JsonObject { ["Name"] = "on-failure", ["MaximumRetryCount"] = 2 } },
        FuzzBody.NetworkCreate => new JsonObject
        {
            ["Name"] = name,
            ["Driver"] = "bridge",
            ["Internal"] = false,
            ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.231.7.0/24", ["Gateway"] = "10.231.7.1" }) },
            ["Options"] = new JsonObject { ["com.docker.network.driver.mtu"] = "1400" },
            ["Labels"] = new JsonObject { ["fuzz"] = "1" },
        },
        FuzzBody.NetworkConnect => new JsonObject
        {
            ["Container"] = name,
            ["Force"] = false,
            ["EndpointConfig"] = new JsonObject { ["Aliases"] = new JsonArray("web"), ["IPAMConfig"] = new JsonObject { ["IPv4Address"] = "10.231.7.9" } },
        },
        FuzzBody.VolumeCreate => new JsonObject { ["Name"] = name, ["Driver"] = "local", ["DriverOpts"] = new JsonObject(), ["Labels"] = new JsonObject { ["fuzz"] = "1" } },
        FuzzBody.ExecCreate => new JsonObject { ["Cmd"] = new JsonArray("true"), ["AttachStdout"] = true, ["AttachStderr"] = true, ["Tty"] = false, ["Env"] = new JsonArray("A=1") },
        FuzzBody.ExecStart => new JsonObject { ["Detach"] = true, ["Tty"] = false },
        FuzzBody.ServiceSpec => new JsonObject
        {
            ["Name"] = name,
            ["TaskTemplate"] = new JsonObject { ["ContainerSpec"] = new JsonObject { ["Image"] = image } },
            ["Mode"] = new JsonObject { ["Replicated"] = new JsonObject { ["Replicas"] = 1 } },
        },
        FuzzBody.SecretSpec => new JsonObject { ["Name"] = name, ["Data"] = "c2VjcmV0", ["Labels"] = new JsonObject() },
        FuzzBody.SwarmSpec => new JsonObject { ["ListenAddr"] = "0.0.0.0:2377", ["AdvertiseAddr"] = "10.77.0.10", ["Spec"] = new JsonObject() },
        FuzzBody.NodeSpec => new JsonObject { ["Role"] = "worker", ["Availability"] = "active", ["Labels"] = new JsonObject() },
        FuzzBody.Commit => new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Labels"] = new JsonObject { ["fuzz"] = "1" } },
        FuzzBody.Login => new JsonObject { ["username"] = name, ["password"] = "fz", ["serveraddress"] = FuzzNames.UnreachableImage.Split('/')[0] },
        _ => new JsonObject(),
    };
}
