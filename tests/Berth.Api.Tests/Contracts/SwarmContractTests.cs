using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Contracts;
using Berth.Api.Http;

namespace Berth.Api.Tests.Contracts;

/// <summary>
/// The swarm and node contracts read Docker's JSON and write it back as Go writes it: samples shaped after moby's
/// swagger (v1.51) and what dockerd 20.10 and the CLI send, with Go's omitempty rules (structs and times always
/// written, empty strings, zero numbers and nil maps, slices and pointers left out where tagged).
/// </summary>
public sealed class SwarmContractTests
{
    private const string CertIssuerSubject = "MBMxETAPBgNVBAMTCHN3YXJtLWNh"; // DER of CN=swarm-ca
    private const string CertIssuerPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A=";
    private const string TrustRootJson = "\"-----BEGIN CERTIFICATE-----\\nMIIBajCCARCgAwIBAgIUbZ\\n-----END CERTIFICATE-----\\n\"";

    private const string SwarmSample = $$$"""
        {
          "ID": "abajmipo7b4xz5ip2nrla6b11",
          "Version": {"Index": 373531},
          "CreatedAt": "2016-08-18T10:44:24.496525531Z",
          "UpdatedAt": "2017-08-09T07:09:37.632105588Z",
          "Spec": {
            "Name": "default",
            "Labels": {"com.example.corp.department": "engineering", "com.example.corp.type": "production"},
            "Orchestration": {"TaskHistoryRetentionLimit": 10},
            "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0, "LogEntriesForSlowFollowers": 500, "ElectionTick": 3, "HeartbeatTick": 1},
            "Dispatcher": {"HeartbeatPeriod": 5000000000},
            "CAConfig": {"NodeCertExpiry": 7776000000000000, "ExternalCAs": [{"Protocol": "cfssl", "URL": "https://ca.example.com:8888/api/v1/cfssl/sign", "Options": {"k": "v"}, "CACert": ""}], "ForceRotate": 2},
            "TaskDefaults": {"LogDriver": {"Name": "json-file", "Options": {"max-file": "10", "max-size": "100m"} } },
            "EncryptionConfig": {"AutoLockManagers": false}
          },
          "TLSInfo": {"TrustRoot": {{{TrustRootJson}}}, "CertIssuerSubject": "{{{CertIssuerSubject}}}", "CertIssuerPublicKey": "{{{CertIssuerPublicKey}}}"},
          "RootRotationInProgress": false,
          "DefaultAddrPool": ["10.10.0.0/16", "20.20.0.0/16"],
          "SubnetSize": 24,
          "DataPathPort": 4789,
          "JoinTokens": {
            "Worker": "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx",
            "Manager": "SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-7p73s1dx5in4tatdymyhg9hu2"
          }
        }
        """;

    private const string ManagerNodeSample = $$$"""
        {
          "ID": "24ifsmvkjbyhk8q3nyqsxd3o9",
          "Version": {"Index": 373531},
          "CreatedAt": "2016-08-18T10:44:24.496525531Z",
          "UpdatedAt": "2017-08-09T07:09:37.632105588Z",
          "Spec": {"Name": "node-name", "Labels": {"foo": "bar"}, "Role": "manager", "Availability": "active"},
          "Description": {
            "Hostname": "bf3067039e47",
            "Platform": {"Architecture": "x86_64", "OS": "linux"},
            "Resources": {
              "NanoCPUs": 4000000000,
              "MemoryBytes": 8272408576,
              "GenericResources": [
                {"DiscreteResourceSpec": {"Kind": "SSD", "Value": 3}},
                {"NamedResourceSpec": {"Kind": "GPU", "Value": "UUID1"}}
              ]
            },
            "Engine": {
              "EngineVersion": "17.06.0",
              "Labels": {"foo": "bar"},
              "Plugins": [{"Type": "Log", "Name": "awslogs"}, {"Type": "Network", "Name": "overlay"}, {"Type": "Volume", "Name": "local"}]
            },
            "TLSInfo": {"TrustRoot": {{{TrustRootJson}}}, "CertIssuerSubject": "{{{CertIssuerSubject}}}", "CertIssuerPublicKey": "{{{CertIssuerPublicKey}}}"}
          },
          "Status": {"State": "ready", "Addr": "172.17.0.2"},
          "ManagerStatus": {"Leader": true, "Reachability": "reachable", "Addr": "10.0.0.46:2377"}
        }
        """;

    /// <summary>A worker as Go writes it: no ManagerStatus, empty description parts still written as <c>{}</c>.</summary>
    private const string WorkerNodeSample = """
        {
          "ID": "9b3h1kpdw0akbctdi3lc1wgvy",
          "Version": {"Index": 12},
          "CreatedAt": "2024-03-01T08:00:00.5Z",
          "UpdatedAt": "2024-03-01T08:00:01Z",
          "Spec": {"Labels": {}, "Role": "worker", "Availability": "drain"},
          "Description": {"Hostname": "node4", "Platform": {}, "Resources": {}, "Engine": {}, "TLSInfo": {}},
          "Status": {"State": "down", "Message": "heartbeat failure", "Addr": "10.99.0.4"}
        }
        """;

    /// <summary>docker CLI 28's <c>swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377</c> body.</summary>
    private const string CliInitSample = """
        {"ListenAddr":"127.0.0.1:2377","AdvertiseAddr":"127.0.0.1","DataPathAddr":"","DataPathPort":0,"ForceNewCluster":false,
         "Spec":{"Labels":null,"Orchestration":{},"Raft":{"ElectionTick":0,"HeartbeatTick":0},"Dispatcher":{},"CAConfig":{},"TaskDefaults":{},"EncryptionConfig":{"AutoLockManagers":false}},
         "AutoLockManagers":false,"Availability":"","DefaultAddrPool":[],"SubnetSize":24}
        """;

    private const string CliJoinSample = """
        {"ListenAddr":"127.0.0.1:2378","AdvertiseAddr":"127.0.0.1","DataPathAddr":"","RemoteAddrs":["127.0.0.1:2377"],
         "JoinToken":"SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx","Availability":""}
        """;

    [Fact]
    public void Swarm_round_trips_with_cluster_info_and_join_tokens()
    {
        Swarm swarm = RoundTrip(SwarmSample, DockerJson.Context.Swarm);

        Assert.Equal("abajmipo7b4xz5ip2nrla6b11", swarm.ID);
        Assert.Equal(373531UL, swarm.Version.Index);
        Assert.Equal("default", swarm.Spec.Name);
        Assert.Equal(10, swarm.Spec.Orchestration.TaskHistoryRetentionLimit);
        Assert.Equal(0UL, swarm.Spec.Raft.KeepOldSnapshots);
        Assert.Equal(TimeSpan.FromDays(90).Ticks * 100, swarm.Spec.CAConfig.NodeCertExpiry);
        Assert.Equal("json-file", swarm.Spec.TaskDefaults.LogDriver!.Name);
        Assert.Equal(Convert.FromBase64String(CertIssuerSubject), swarm.TLSInfo.CertIssuerSubject);
        Assert.Equal(["10.10.0.0/16", "20.20.0.0/16"], swarm.DefaultAddrPool);
        Assert.Equal(4789U, swarm.DataPathPort);
        Assert.StartsWith("SWMTKN-1-", swarm.JoinTokens.Worker, StringComparison.Ordinal);
        Assert.NotEqual(swarm.JoinTokens.Worker, swarm.JoinTokens.Manager);
    }

    [Fact]
    public void Nodes_round_trip_as_a_list_manager_and_worker()
    {
        List<Node> nodes = RoundTrip($"[{ManagerNodeSample},{WorkerNodeSample}]", DockerJson.Context.ListNode);

        Node manager = nodes[0];
        Assert.Equal(NodeRole.Manager, manager.Spec.Role);
        Assert.Equal(NodeAvailability.Active, manager.Spec.Availability);
        Assert.Equal("bf3067039e47", manager.Description.Hostname);
        Assert.Equal("x86_64", manager.Description.Platform.Architecture);
        Assert.Equal(4_000_000_000L, manager.Description.Resources.NanoCPUs);
        Assert.Equal(3, manager.Description.Resources.GenericResources![0].DiscreteResourceSpec!.Value);
        Assert.Equal("UUID1", manager.Description.Resources.GenericResources[1].NamedResourceSpec!.Value);
        Assert.Equal("17.06.0", manager.Description.Engine.EngineVersion);
        Assert.Contains(manager.Description.Engine.Plugins!, p => p is { Type: "Network", Name: "overlay" });
        Assert.Equal(NodeState.Ready, manager.Status.State);
        Assert.True(manager.ManagerStatus!.Leader);
        Assert.Equal(Reachability.Reachable, manager.ManagerStatus.Reachability);
        Assert.Equal("10.0.0.46:2377", manager.ManagerStatus.Addr);

        Node worker = nodes[1];
        Assert.Equal(NodeRole.Worker, worker.Spec.Role);
        Assert.Equal(NodeAvailability.Drain, worker.Spec.Availability);
        Assert.Null(worker.Spec.Name);
        Assert.Equal(NodeState.Down, worker.Status.State);
        Assert.Null(worker.ManagerStatus);
    }

    [Fact]
    public void A_new_node_is_written_with_Gos_zero_values()
    {
        string json = JsonSerializer.Serialize(new Node { ID = "n1" }, DockerJson.Context.Node);

        AssertJsonEqual("""
            {"ID":"n1","Version":{},"CreatedAt":"0001-01-01T00:00:00Z","UpdatedAt":"0001-01-01T00:00:00Z",
             "Spec":{"Labels":{}},"Description":{"Platform":{},"Resources":{},"Engine":{},"TLSInfo":{}},"Status":{}}
            """, json);
    }

    [Fact]
    public void Node_update_body_round_trips()
    {
        NodeSpec spec = RoundTrip("""{"Name":"","Labels":{"zone":"a"},"Role":"manager","Availability":"pause"}""", DockerJson.Context.NodeSpec);

        Assert.Equal("a", spec.Labels!["zone"]);
        Assert.Equal(NodeAvailability.Pause, spec.Availability);
    }

    [Fact]
    public void Cli_init_request_round_trips()
    {
        SwarmInitRequest init = RoundTrip(CliInitSample, DockerJson.Context.SwarmInitRequest);

        Assert.Equal("127.0.0.1:2377", init.ListenAddr);
        Assert.Equal("127.0.0.1", init.AdvertiseAddr);
        Assert.Equal(24U, init.SubnetSize);
        Assert.Empty(init.DefaultAddrPool!);
        Assert.Null(init.Spec.Labels);
        Assert.Null(init.Spec.Orchestration.TaskHistoryRetentionLimit);
    }

    [Fact]
    public void Docker_py_init_request_leaves_the_rest_at_defaults()
    {
        SwarmInitRequest init = JsonSerializer.Deserialize("""{"AdvertiseAddr":"127.0.0.1","ListenAddr":"0.0.0.0:4567","ForceNewCluster":false}""", DockerJson.Context.SwarmInitRequest)!;

        Assert.Equal("0.0.0.0:4567", init.ListenAddr);
        Assert.Equal("", init.Availability);
        Assert.Null(init.DefaultAddrPool);
        Assert.Equal(0U, init.SubnetSize);
        Assert.NotNull(init.Spec.CAConfig);
    }

    [Fact]
    public void Cli_join_request_round_trips()
    {
        SwarmJoinRequest join = RoundTrip(CliJoinSample, DockerJson.Context.SwarmJoinRequest);

        Assert.Equal(["127.0.0.1:2377"], join.RemoteAddrs);
        Assert.StartsWith("SWMTKN-1-", join.JoinToken, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlock_bodies_round_trip()
    {
        Assert.Equal("SWMKEY-1-abc", RoundTrip("""{"UnlockKey":"SWMKEY-1-abc"}""", DockerJson.Context.SwarmUnlockRequest).UnlockKey);
        Assert.Equal("", RoundTrip("""{"UnlockKey":""}""", DockerJson.Context.SwarmUnlockKeyResponse).UnlockKey);
    }

    [Fact]
    public void Init_answers_the_node_id_as_a_JSON_string()
    {
        Assert.Equal("\"24ifsmvkjbyhk8q3nyqsxd3o9\"", JsonSerializer.Serialize("24ifsmvkjbyhk8q3nyqsxd3o9", DockerJson.Context.String));
    }

    [Fact]
    public void Info_swarm_outside_a_swarm_is_written_exactly_as_Go_writes_it()
    {
        Assert.Equal(
            """{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}""",
            JsonSerializer.Serialize(new SwarmInfo(), DockerJson.Context.SwarmInfo));
    }

    [Fact]
    public void Info_swarm_of_a_manager_round_trips_with_counts_and_cluster()
    {
        const string sample = $$$"""
            {"NodeID":"24ifsmvkjbyhk8q3nyqsxd3o9","NodeAddr":"10.0.0.46","LocalNodeState":"active","ControlAvailable":true,"Error":"",
             "RemoteManagers":[{"NodeID":"24ifsmvkjbyhk8q3nyqsxd3o9","Addr":"10.0.0.46:2377"},{"NodeID":"71kqm2ne4tr8uh9zvdnl9ohhj","Addr":"10.0.0.47:2377"}],
             "Nodes":4,"Managers":3,
             "Cluster":{"ID":"abajmipo7b4xz5ip2nrla6b11","Version":{"Index":10},"CreatedAt":"2024-03-01T08:00:00.5Z","UpdatedAt":"2024-03-01T08:00:01Z",
               "Spec":{"Name":"default","Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":5},"Raft":{"SnapshotInterval":10000,"KeepOldSnapshots":0,"LogEntriesForSlowFollowers":500,"ElectionTick":10,"HeartbeatTick":1},
                 "Dispatcher":{"HeartbeatPeriod":5000000000},"CAConfig":{"NodeCertExpiry":7776000000000000},"TaskDefaults":{},"EncryptionConfig":{"AutoLockManagers":false}},
               "TLSInfo":{"TrustRoot":{{{TrustRootJson}}},"CertIssuerSubject":"{{{CertIssuerSubject}}}","CertIssuerPublicKey":"{{{CertIssuerPublicKey}}}"},
               "RootRotationInProgress":false,"DefaultAddrPool":["10.0.0.0/8"],"SubnetSize":24,"DataPathPort":4789}}
            """;
        SwarmInfo info = RoundTrip(sample, DockerJson.Context.SwarmInfo);

        Assert.Equal(LocalNodeState.Active, info.LocalNodeState);
        Assert.True(info.ControlAvailable);
        Assert.Equal(2, info.RemoteManagers!.Count);
        Assert.Equal(3, info.Managers);
        Assert.Equal("abajmipo7b4xz5ip2nrla6b11", info.Cluster!.ID);
        Assert.Equal(["10.0.0.0/8"], info.Cluster.DefaultAddrPool);
    }

    [Fact]
    public void Info_carries_the_swarm_section()
    {
        string json = JsonSerializer.Serialize(new InfoResponse { Swarm = new SwarmInfo { NodeID = "n1", LocalNodeState = LocalNodeState.Active, Nodes = 1, Managers = 1 } }, DockerJson.Context.InfoResponse);
        JsonNode swarm = JsonNode.Parse(json)!["Swarm"]!;

        Assert.Equal("n1", swarm["NodeID"]!.GetValue<string>());
        Assert.Equal(1, swarm["Managers"]!.GetValue<int>());
        Assert.Null(((JsonObject)swarm)["Cluster"]);
        Assert.False(((JsonObject)swarm).ContainsKey("Cluster"));
    }

    /// <summary>Reads <paramref name="json"/>, writes it back, and checks nothing was lost, added or changed.</summary>
    private static T RoundTrip<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        T value = JsonSerializer.Deserialize(json, typeInfo)!;
        AssertJsonEqual(json, JsonSerializer.Serialize(value, typeInfo));
        return value;
    }

    private static void AssertJsonEqual(string expected, string actual)
    {
        JsonNode? left = JsonNode.Parse(expected);
        JsonNode? right = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(left, right), $"expected {left!.ToJsonString()}\nactual   {right!.ToJsonString()}");
    }
}
