using System.Text.Json;
using Berth.Cluster.Swarm;

namespace Berth.Cluster.Services;

/// <summary>Services' values in the cluster store as JSON, and back.</summary>
internal static class ServiceRecords
{
    public static ServiceRecord Service(ReadOnlyMemory<byte> value) => SwarmRecords.Read(value, ServicesJsonContext.Default.ServiceRecord, "service");

    public static TaskRecord Task(ReadOnlyMemory<byte> value) => SwarmRecords.Read(value, ServicesJsonContext.Default.TaskRecord, "task");

    /// <summary>A node's report; null for one that does not read (a node's bug must not stop the orchestrator).</summary>
    public static TaskRunStatus? Status(ReadOnlyMemory<byte> value)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, ServicesJsonContext.Default.TaskRunStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Bytes(ServiceRecord service) => JsonSerializer.SerializeToUtf8Bytes(service, ServicesJsonContext.Default.ServiceRecord);

    public static byte[] Bytes(TaskRecord task) => JsonSerializer.SerializeToUtf8Bytes(task, ServicesJsonContext.Default.TaskRecord);

    public static byte[] Bytes(TaskRunStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, ServicesJsonContext.Default.TaskRunStatus);

    /// <summary>
    /// Whether two specs deploy the same tasks: the task template and the endpoint (swarmkit's <c>IsTaskDirty</c>).
    /// Compared as JSON: records holding <c>ImmutableArray</c>s compare arrays by reference.
    /// </summary>
    public static bool SameDeployment(ServiceSpec a, ServiceSpec b) =>
        JsonSerializer.SerializeToUtf8Bytes(WithoutRegistryAuth(a.Task), ServicesJsonContext.Default.TaskSpec).AsSpan()
            .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(WithoutRegistryAuth(b.Task), ServicesJsonContext.Default.TaskSpec))
        && JsonSerializer.SerializeToUtf8Bytes(a.Endpoint, ServicesJsonContext.Default.ServiceEndpointSpec).AsSpan()
            .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b.Endpoint, ServicesJsonContext.Default.ServiceEndpointSpec));

    /// <summary>
    /// Registry credentials are left out of the comparison, as swarmkit leaves <c>PullOptions</c> out of its dirty check:
    /// a redeploy with <c>--with-registry-auth</c> (sealed anew each time) replaces no running task.
    /// </summary>
    private static TaskSpec WithoutRegistryAuth(TaskSpec task) =>
        task.Container.SealedRegistryAuth is null ? task : task with { Container = task.Container with { SealedRegistryAuth = null } };
}
