using Berth.Core.Naming;
using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The state a stage's instructions see, replaced whole after each step: the environment (ENV, and the base
/// image's), the ARGs declared so far, the SHELL and the working directory. The engine runs a stage as
/// <c>ctx = StageContext.Start(plan, baseConfig); foreach (var i in stage.Instructions) { var step =
/// ctx.Step(i); run step.Instruction; ctx = step.After; }</c> — each instruction is substituted with the
/// variables in force just before it, as Docker does (ENV a=1 b=$a sees the old a).
/// </summary>
public sealed partial record StageContext(
    BuildArguments Arguments,
    VariableExpander Expander,
    ImmutableArray<string> Env,
    ImmutableDictionary<string, string?> DeclaredArgs,
    ImmutableArray<string> Shell,
    string WorkingDir)
{
    /// <summary>Docker's default SHELL on Linux.</summary>
    public static ImmutableArray<string> DefaultShell { get; } = ["/bin/sh", "-c"];

    /// <summary>The PATH a stage gets when its base image sets none (Docker's system.DefaultPathEnv for Linux).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static StageContext Start(BuildPlan plan, BaseImageConfig baseImage)
    {
        var env = baseImage.Env;
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            env = env.Add("PATH=" + DefaultPath);
        }
        return new StageContext(plan.Arguments, new VariableExpander(plan.Dockerfile.EscapeToken), env,
            ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal), baseImage.Shell, baseImage.WorkingDir);
    }

    /// <summary>The SHELL that shell-form commands run with: the stage's, or <c>/bin/sh -c</c>.</summary>
    public ImmutableArray<string> EffectiveShell => Shell.IsDefaultOrEmpty ? DefaultShell : Shell;

    /// <summary>The declared build args' values that no ENV of the same name hides, as <c>NAME=value</c>, sorted.</summary>
    public ImmutableArray<string> BuildArgEnv
    {
        get
        {
            var envNames = Env.Select(NameOf).ToHashSet(StringComparer.Ordinal);
            return [.. Arguments.ValuesOf(DeclaredArgs).Where(a => !envNames.Contains(a.Key))
                .OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value)];
        }
    }

    /// <summary>What RUN's process gets: the environment plus the build args.</summary>
    public ImmutableArray<string> RunEnv => Env.AddRange(BuildArgEnv);

    /// <summary>What <c>$VAR</c> means here: ENV values, then build args ENV does not hide.</summary>
    public ImmutableDictionary<string, string> Variables
    {
        get
        {
            var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var entry in RunEnv)
            {
                variables.TryAdd(NameOf(entry), entry[(entry.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            }
            return variables.ToImmutable();
        }
    }

    /// <summary>
    /// Substitutes variables where Docker does (ADD COPY ENV EXPOSE LABEL STOPSIGNAL USER VOLUME WORKDIR ARG;
    /// never RUN CMD ENTRYPOINT HEALTHCHECK SHELL, never ONBUILD until it triggers) and applies what the
    /// instruction changes for the steps after it (ENV, ARG, SHELL, WORKDIR).
    /// </summary>
    /// <remarks>Its errors are Docker's plain text, without <c>dockerfile parse error line N</c>: Docker reports them as the step runs.</remarks>
    public StageStep Step(Instruction instruction)
    {
        var variables = Variables;
        string Word(string value) => Expander.Expand(value, variables);
        ImmutableArray<string> Words(ImmutableArray<string> values) => [.. values.Select(Word)];
        string? Optional(string? value) => value is null ? null : Word(value);
        switch (instruction)
        {
            case EnvInstruction env:
                var variablesSet = env.Variables.Select(v => new KeyValue(Word(v.Key), Word(v.Value))).ToImmutableArray();
                var withEnv = variablesSet.Aggregate(this, (context, v) => context.WithEnv(v));
                return withEnv.Made(env with { Variables = variablesSet });
            case ArgInstruction arg:
                var definitions = BuildPlan.Expanded(arg, Expander, variables).ToImmutableArray();
                var declared = definitions.Aggregate(DeclaredArgs, (d, a) => d.SetItem(a.Name, a.Default));
                return (this with { DeclaredArgs = declared }).Made(arg with { Arguments = definitions });
            case LabelInstruction { Literal: true } literal:
                return Made(literal);
            case LabelInstruction label:
                return Made(label with { Labels = [.. label.Labels.Select(l => new KeyValue(Word(l.Key), Word(l.Value)))] });
            case ExposeInstruction expose:
                return Made(expose with { Ports = [.. expose.Ports.SelectMany(p => Expander.ExpandWords(p, variables))] });
            case CopyInstruction copy:
                return Made(copy with { Sources = Words(copy.Sources), Contents = Bodies(copy.Contents, variables), Destination = Word(copy.Destination), Chown = Optional(copy.Chown), Chmod = Optional(copy.Chmod) });
            case AddInstruction add:
                return Made(add with { Sources = Words(add.Sources), Contents = Bodies(add.Contents, variables), Destination = Word(add.Destination), Chown = Optional(add.Chown), Chmod = Optional(add.Chmod) });
            case WorkdirInstruction workdir:
                var path = NormalizeWorkdir(Word(workdir.Path));
                return (this with { WorkingDir = path }).Made(workdir with { Path = path });
            case UserInstruction user:
                return Made(user with { User = Word(user.User) });
            case VolumeInstruction volume:
                var paths = Words(volume.Paths);
                if (paths.Any(p => p.Length == 0))
                {
                    throw new DockerfileException("VOLUME specified can not be an empty string");
                }
                return Made(volume with { Paths = paths });
            case StopsignalInstruction stop:
                return Made(stop with { Signal = Word(stop.Signal) });
            case ShellInstruction shell:
                return (this with { Shell = shell.Shell }).Made(shell);
            case FromInstruction:
                throw new DockerfileException("FROM starts a stage; it is not a step of one");
            default:
                return Made(instruction);
        }
    }

    // A heredoc source's file content: tabs stripped for <<-, then expanded unless the delimiter was quoted (BuildKit
    // chomps at parse time and expands at dispatch). The result is final: Chomp is cleared so Text is the content.
    private static ImmutableArray<Heredoc> Bodies(ImmutableArray<Heredoc> contents, ImmutableDictionary<string, string> variables) =>
        contents.IsDefault ? contents : [.. contents.Select(h => h with
        {
            Content = h.Expand ? VariableExpander.ExpandHeredoc(h.Text, variables) : h.Text,
            Chomp = false,
        })];

    private StageStep Made(Instruction resolved) => new(resolved, this, CreatedBy(resolved));

    private StageContext WithEnv(KeyValue variable)
    {
        var index = Env.IndexOf(Env.FirstOrDefault(e => NameOf(e) == variable.Key) ?? "\0");
        return this with { Env = index < 0 ? Env.Add(variable.ToString()) : Env.SetItem(index, variable.ToString()) };
    }

    // A relative WORKDIR is taken from the current one (Docker's normalizeWorkdir: joined and cleaned; an
    // absolute one is kept as written).
    private string NormalizeWorkdir(string requested)
    {
        if (requested.Length == 0)
        {
            throw new DockerfileException("cannot normalize nothing");
        }
        if (requested.StartsWith('/'))
        {
            return requested;
        }
        return GoPath.Clean("/" + WorkingDir + "/" + requested);
    }

    private static string NameOf(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? entry : entry[..equals];
    }
}
