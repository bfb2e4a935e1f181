using Berth.Build.Dockerfile;
using Berth.Runtime.Build;
using Berth.Runtime.Images;

namespace Berth.Build.Engine;

/// <summary>What a metadata instruction (already substituted) changes in the image config, as moby's dispatchers do.</summary>
internal static class MetadataChanges
{
    private const long NanosPerTick = 100;

    public static BuildConfigChanges Of(Instruction instruction, StageContext context, bool cmdSetInStage) => instruction switch
    {
        EnvInstruction env => new() { Env = [.. env.Variables.Select(v => v.ToString())] },
        LabelInstruction label => new() { Labels = label.Labels.GroupBy(l => l.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) },
        ExposeInstruction expose => new() { ExposedPorts = expose.Ports },
        UserInstruction user => new() { User = user.User },
        VolumeInstruction volume => new() { Volumes = volume.Paths },
        StopsignalInstruction stop => new() { StopSignal = stop.Signal },
        ShellInstruction shell => new() { Shell = shell.Shell },
        OnbuildInstruction onbuild => new() { OnBuild = [onbuild.Expression] },
        CmdInstruction cmd => new() { Cmd = cmd.Command.Resolve(context.EffectiveShell) },
        // moby: an ENTRYPOINT resets the base's CMD unless this stage set one.
        EntrypointInstruction entrypoint => new() { Entrypoint = entrypoint.Command.Resolve(context.EffectiveShell), ClearCmd = !cmdSetInStage },
        HealthcheckInstruction health => new() { Healthcheck = HealthOf(health.Health) },
        WorkdirInstruction workdir => new() { WorkingDir = workdir.Path },
        _ => BuildConfigChanges.None,
    };

    private static HealthConfig HealthOf(HealthcheckConfig health) => new()
    {
        Test = health.Test,
        Interval = health.Interval.Ticks * NanosPerTick,
        Timeout = health.Timeout.Ticks * NanosPerTick,
        StartPeriod = health.StartPeriod.Ticks * NanosPerTick,
        StartInterval = health.StartInterval.Ticks * NanosPerTick,
        Retries = health.Retries,
    };
}
