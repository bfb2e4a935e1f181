using System.Globalization;

namespace Berth.Build.Dockerfile;

public sealed partial record StageContext
{
    // Docker's classic builder commits metadata-only steps with Cmd = SHELL + ["#(nop) ", text], and WORKDIR,
    // COPY and ADD with SHELL + ["#(nop) text"]; history's created_by is Cmd joined with spaces
    // (builder/dockerfile/internals.go withCmdComment / withCmdCommentString).
    private const string NopMarker = "#(nop) ";

    /// <summary>What RUN executes: the shell form under the stage's SHELL, the exec form as written, heredocs as BuildKit runs them.</summary>
    public RunInvocation Invocation(RunInstruction run) => RunInvocation.Of(run, EffectiveShell);

    /// <summary>
    /// COPY's and ADD's <c>created_by</c>, given the sources' digest as the classic builder writes it
    /// (<c>file:…</c>, <c>dir:…</c> or <c>multi:…</c>); note Docker's missing space after <c>--chown=…</c>.
    /// </summary>
    public string CopyCreatedBy(Instruction copyOrAdd, string sourceDigest)
    {
        var chown = copyOrAdd switch
        {
            CopyInstruction { Chown: { } c } => c,
            AddInstruction { Chown: { } a } => a,
            _ => null,
        };
        var destination = copyOrAdd switch
        {
            CopyInstruction c => c.Destination,
            AddInstruction a => a.Destination,
            _ => throw new ArgumentException("only COPY and ADD copy files", nameof(copyOrAdd)),
        };
        var chownText = chown is null ? "" : "--chown=" + chown;
        return NopSingle($"{copyOrAdd.Keyword} {chownText}{sourceDigest} in {destination} ");
    }

    private string? CreatedBy(Instruction resolved) => resolved switch
    {
        EnvInstruction env => Nop("ENV" + string.Concat(env.Variables.Select(v => " " + v))),
        ArgInstruction arg => Nop("ARG " + string.Join(' ', arg.Arguments)),
        LabelInstruction label => Nop("LABEL" + string.Concat(label.Labels.Select(l => " " + l))),
        MaintainerInstruction maintainer => Nop("MAINTAINER " + maintainer.Maintainer),
        ExposeInstruction expose => Nop("EXPOSE " + string.Join(' ', expose.Ports)),
        UserInstruction user => Nop("USER " + user.User),
        VolumeInstruction volume => Nop("VOLUME " + GoFormat.List(volume.Paths)),
        StopsignalInstruction stop => Nop("STOPSIGNAL " + stop.Signal),
        ShellInstruction shell => Nop("SHELL " + GoFormat.List(shell.Shell)),
        OnbuildInstruction onbuild => Nop("ONBUILD " + onbuild.Expression),
        CmdInstruction cmd => Nop("CMD " + GoFormat.QuoteList(cmd.Command.Resolve(EffectiveShell))),
        EntrypointInstruction entrypoint => Nop("ENTRYPOINT " + GoFormat.QuoteList(entrypoint.Command.Resolve(EffectiveShell))),
        HealthcheckInstruction health => Nop("HEALTHCHECK " + HealthText(health.Health)),
        WorkdirInstruction workdir => NopSingle("WORKDIR " + workdir.Path),
        RunInstruction run => RunCreatedBy(run),
        _ => null,
    };

    // RUN's text carries the build args the command saw, so a changed --build-arg misses the cache:
    // "|2 A=1 B=2 /bin/sh -c make" (dispatchers.go prependEnvOnCmd). Predefined args count only when declared,
    // yet the "|N" prefix appears whenever any build arg was set, even if N is 0. A heredoc RUN shows the argv BuildKit
    // runs ("/bin/sh -c <body>", "/bin/sh -c cat <<EOF > f\n<body>EOF", "/bin/sh -c /dev/pipes/EOF") in this same
    // classic shape, without BuildKit's "RUN " prefix and " # buildkit" suffix, which no other step of Berth's has.
    private string RunCreatedBy(RunInstruction run)
    {
        var argv = Invocation(run).Arguments;
        var buildArgs = BuildArgEnv;
        if (buildArgs.IsEmpty)
        {
            return string.Join(' ', argv);
        }
        var counted = buildArgs.Where(a => !BuildArguments.IsPredefined(a[..a.IndexOf('=', StringComparison.Ordinal)])
                                           || DeclaredArgs.ContainsKey(a[..a.IndexOf('=', StringComparison.Ordinal)])).ToList();
        var prefix = "|" + counted.Count.ToString(CultureInfo.InvariantCulture);
        return string.Join(' ', new[] { prefix }.Concat(counted).Concat(argv));
    }

    // Docker 20.10 prints its HealthConfig struct with %q: &{["CMD-SHELL" "curl x"] "30s" "5s" "0s" '\x03'}.
    private static string HealthText(HealthcheckConfig health) =>
        $"&{{{GoFormat.QuoteList(health.Test)} {GoFormat.Quote(GoFormat.Duration(health.Interval))} " +
        $"{GoFormat.Quote(GoFormat.Duration(health.Timeout))} {GoFormat.Quote(GoFormat.Duration(health.StartPeriod))} " +
        $"{GoFormat.QuoteRune(health.Retries)}}}";

    private string Nop(string text) => string.Join(' ', EffectiveShell) + " " + NopMarker + " " + text;

    private string NopSingle(string text) => string.Join(' ', EffectiveShell) + " " + NopMarker + text;
}
