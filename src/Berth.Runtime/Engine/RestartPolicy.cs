using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's <c>HostConfig.RestartPolicy</c>: what happens when a container's process exits. An empty
/// name is "no" (older clients sent it so; moby accepts it with any retry count).
/// </summary>
public sealed record RestartPolicy(string Name = "", int MaximumRetryCount = 0)
{
    public const string No = "no";
    public const string Always = "always";
    public const string UnlessStopped = "unless-stopped";
    public const string OnFailure = "on-failure";

    public static readonly RestartPolicy None = new();

    public bool IsNone => Name is "" or No;

    /// <summary>
    /// The policy a create request asks for, checked as moby checks it (every error is a 400). A
    /// policy other than "no" together with <c>AutoRemove</c> (<c>--rm</c>) is refused.
    /// </summary>
    public static RestartPolicy Validate(string? name, int maximumRetryCount, bool autoRemove)
    {
        var policy = new RestartPolicy(name ?? "", maximumRetryCount);
        switch (policy.Name)
        {
            case Always or UnlessStopped or No when maximumRetryCount != 0:
                throw new BerthException(ErrorKind.InvalidArgument,
                    "invalid restart policy: maximum retry count can only be used with 'on-failure'" + (maximumRetryCount < 0 ? " and cannot be negative" : ""));
            case OnFailure when maximumRetryCount < 0:
                throw new BerthException(ErrorKind.InvalidArgument, "invalid restart policy: maximum retry count cannot be negative");
            case "" or No or Always or UnlessStopped or OnFailure:
                break;
            default:
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"invalid restart policy: unknown policy '{policy.Name}'; use one of '{No}', '{Always}', '{OnFailure}', or '{UnlessStopped}'");
        }

        if (autoRemove && !policy.IsNone)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                "Conflicting options: --restart and --rm: a container removed when it exits cannot be restarted; drop one of them");
        }

        return policy;
    }

    /// <summary>
    /// Whether an exit calls for a restart (moby's restart manager): always; unless-stopped unless the
    /// user stopped it; on-failure for a non-zero exit while fewer than MaximumRetryCount (0: no limit)
    /// restarts were made.
    /// </summary>
    public bool ShouldRestart(int exitCode, bool manuallyStopped, int restartCount) => Name switch
    {
        Always => true,
        UnlessStopped => !manuallyStopped,
        OnFailure => exitCode != 0 && (MaximumRetryCount == 0 || restartCount < MaximumRetryCount),
        _ => false,
    };
}
