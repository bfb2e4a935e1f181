using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Cluster.Services;

/// <summary>
/// What can be checked of a spec alone (swarmkit <c>controlapi.validateServiceSpec</c> and moby's conversion), each
/// failure InvalidArgument with Docker's message. What needs the store (networks, ports in use) is the manager's.
/// </summary>
public static partial class ServiceSpecValidator
{
    /// <summary>DNS labels are limited to 63 characters (RFC 1035).</summary>
    public const int MaxNameLength = 63;

    public static void Validate(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ValidateName(spec.Name);
        if (spec.Mode.IsGlobal && spec.Mode.Replicas != 0)
        {
            throw Invalid("replicas can only be used with replicated or replicated-job mode");
        }

        if (string.IsNullOrWhiteSpace(spec.Task.Container.Image))
        {
            throw Invalid("ContainerSpec: image reference must be provided");
        }

        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (ServiceMount mount in spec.Task.Container.Mounts)
        {
            if (!targets.Add(mount.Target))
            {
                throw Invalid($"ContainerSpec: duplicate mount point: {mount.Target}");
            }
        }

        ValidateReferences(spec.Task.Container.Secrets, "secret");
        ValidateReferences(spec.Task.Container.Configs, "config");
        _ = PlacementConstraint.ParseAll(spec.Task.Placement.Constraints);
        ValidateRestart(spec.Task.Restart);
        ValidateUpdate(spec.Update, "update");
        ValidateUpdate(spec.Rollback, "rollback");
        ValidateEndpoint(spec.Endpoint);
    }

    /// <summary>swarmkit <c>validateSecretRefsSpec</c>/<c>validateConfigRefsSpec</c>: ids, names and a file each, no two on one file.</summary>
    private static void ValidateReferences(IEnumerable<TaskFileReference> references, string kind)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (TaskFileReference reference in references)
        {
            if (reference.Id.Length == 0 || reference.Name.Length == 0)
            {
                throw Invalid($"malformed {kind} reference");
            }

            if (reference.File.Name.Length == 0)
            {
                throw Invalid($"malformed file {kind} reference, invalid target file name provided");
            }

            if (!uint.TryParse(reference.File.Uid, out _) || !uint.TryParse(reference.File.Gid, out _))
            {
                throw Invalid($"{kind} reference {reference.Name}: uid and gid must be numbers (\"{reference.File.Uid}\", \"{reference.File.Gid}\")");
            }

            if (!files.TryAdd(reference.File.Name, reference.Name))
            {
                throw Invalid($"{kind} references '{files[reference.File.Name]}' and '{reference.Name}' have a conflicting target: '{reference.File.Name}'");
            }
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid("meta: name must be provided");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw Invalid($"invalid name \"{name}\": name must be valid as a DNS name component");
        }

        if (name.Length > MaxNameLength)
        {
            throw Invalid($"invalid name \"{name}\": name must be 63 characters or fewer");
        }
    }

    private static void ValidateRestart(TaskRestartPolicy? restart)
    {
        if (restart?.Delay < TimeSpan.Zero)
        {
            throw Invalid("TaskSpec: restart-delay cannot be negative");
        }

        if (restart?.Window < TimeSpan.Zero)
        {
            throw Invalid("TaskSpec: restart-window cannot be negative");
        }
    }

    private static void ValidateUpdate(UpdatePolicy? policy, string what)
    {
        if (policy is null)
        {
            return;
        }

        if (policy.Delay < TimeSpan.Zero)
        {
            throw Invalid($"TaskSpec: {what}-delay cannot be negative");
        }

        if (policy.Monitor < TimeSpan.Zero)
        {
            throw Invalid($"TaskSpec: {what}-monitor cannot be negative");
        }

        if (policy.MaxFailureRatio is < 0 or > 1)
        {
            throw Invalid($"TaskSpec: {what}-maxfailureratio cannot be less than 0 or bigger than 1");
        }
    }

    private static void ValidateEndpoint(ServiceEndpointSpec endpoint)
    {
        var published = new HashSet<(PortProtocol, ushort)>();
        foreach (ServicePort port in endpoint.Ports)
        {
            if (port.TargetPort == 0)
            {
                throw Invalid($"EndpointSpec: invalid target port 0 (published {port.PublishedPort}/{port.Protocol.ToString().ToLowerInvariant()}): must be 1-65535");
            }

            if (endpoint.Mode == EndpointMode.Dnsrr && port.Mode == PublishMode.Ingress)
            {
                throw Invalid("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
            }

            if (port.PublishedPort != 0 && !published.Add((port.Protocol, port.PublishedPort)))
            {
                throw Invalid($"EndpointSpec: duplicate published ports provided ({port.PublishedPort}/{port.Protocol.ToString().ToLowerInvariant()})");
            }
        }
    }

    private static BerthException Invalid(string message) => new(ErrorKind.InvalidArgument, message);

    // swarmkit's isValidDNSName: letters and digits, with single runs of '-' or '_' inside.
    [GeneratedRegex("^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
