using System.Collections.Immutable;
using System.Globalization;

namespace Berth.Build.Dockerfile;

/// <summary>
/// What to build for a target: the stages it needs (through <c>FROM stage</c> and <c>COPY --from=stage|index</c>), in
/// Dockerfile order, each with its base and <c>COPY --from</c> sources resolved — every stage up to a stage that cannot
/// start (<see cref="InvalidSource"/>), so its error comes where Docker's does; the number of steps Docker's classic
/// builder announces (it runs every stage up to the target: a skipped stage's steps keep their numbers); the build
/// arguments; and the warning Docker prints for <c>--build-arg</c>s nothing declared. Run a stage with
/// <see cref="StageContext.Start"/>.
/// </summary>
public sealed record BuildPlan(
    ParsedDockerfile Dockerfile,
    ImmutableArray<PlannedStage> Stages,
    BuildArguments Arguments,
    ImmutableArray<string> UnusedBuildArgs)
{
    /// <summary>The <c>N</c> of <c>Step i/N</c>: the global ARGs, and each stage up to the target, FROM included.</summary>
    public int StepCount { get; init; }

    /// <summary>The stage whose result is the image: the target, or the last stage.</summary>
    public PlannedStage Target => Stages[^1];

    /// <summary>Docker 20.10's line for build args no ARG consumed, or null when all were.</summary>
    public string? UnusedBuildArgsWarning => UnusedBuildArgs.IsEmpty
        ? null
        : $"[Warning] One or more build-args {GoFormat.List(UnusedBuildArgs)} were not consumed";

    public static BuildPlan Create(ParsedDockerfile dockerfile, string? target = null,
        IReadOnlyDictionary<string, string?>? buildArgs = null)
    {
        var stages = dockerfile.Stages;
        if (stages.IsEmpty)
        {
            // Only ARGs: Docker 20.10 runs them and then finds it made no image.
            throw new DockerfileException("No image was generated. Is your Dockerfile empty?");
        }
        if (!string.IsNullOrEmpty(target))
        {
            var targetIndex = stages.LastOrDefault(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase))?.Index;
            if (targetIndex is null)
            {
                throw new DockerfileException($"failed to reach build target {target} in Dockerfile");
            }
            stages = stages[..(targetIndex.Value + 1)];
        }
        var arguments = GlobalArguments(dockerfile, buildArgs?.ToImmutableDictionary(StringComparer.Ordinal)
            ?? ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal));
        var globals = arguments.GlobalValues();
        var expander = new VariableExpander(dockerfile.EscapeToken);
        var planned = new List<PlannedStage>();
        foreach (var stage in stages)
        {
            planned.Add(PlanStage(stage, planned, globals, expander));
            if (planned[^1].Base is InvalidSource)
            {
                break;
            }
        }
        var referenced = dockerfile.GlobalArgs.SelectMany(a => a.Arguments)
            .Concat(planned.SelectMany(p => p.Instructions.OfType<ArgInstruction>()).SelectMany(a => a.Arguments))
            .Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var unused = arguments.Options.Keys
            .Where(k => !referenced.Contains(k) && !BuildArguments.IsPredefined(k))
            .Order(StringComparer.Ordinal).ToImmutableArray();
        bool complete = planned.Count == stages.Length && planned[^1].Base is not InvalidSource;
        var needed = complete ? Needed(planned) : [.. planned.Select(p => p.Index)];
        return new BuildPlan(dockerfile, [.. planned.Where(p => needed.Contains(p.Index))], arguments, unused)
        {
            StepCount = dockerfile.GlobalArgs.Length + stages.Sum(s => 1 + s.Instructions.Length),
        };
    }

    // The target and, transitively, the stages its FROM and COPY --from name: the others are not built (BuildKit's rule).
    private static HashSet<int> Needed(List<PlannedStage> planned)
    {
        var needed = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(planned.Count - 1);
        while (pending.Count > 0)
        {
            int index = pending.Pop();
            if (!needed.Add(index))
            {
                continue;
            }

            var stage = planned[index];
            foreach (var source in stage.CopySources.Values.Append(stage.Base).OfType<PreviousStage>())
            {
                pending.Push(source.Index);
            }
        }

        return needed;
    }

    // Global ARGs are processed in order, each default expanded with the ones before it.
    private static BuildArguments GlobalArguments(ParsedDockerfile dockerfile, ImmutableDictionary<string, string?> options)
    {
        var arguments = new BuildArguments(options, ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal));
        var expander = new VariableExpander(dockerfile.EscapeToken);
        foreach (var arg in dockerfile.GlobalArgs)
        {
            var values = arguments.ValuesOf(arguments.Globals);
            var globals = arguments.Globals;
            foreach (var definition in Expanded(arg, expander, values))
            {
                globals = globals.SetItem(definition.Name, definition.Default);
            }
            arguments = arguments with { Globals = globals };
        }
        return arguments;
    }

    internal static IEnumerable<ArgDefinition> Expanded(ArgInstruction arg, VariableExpander expander, IReadOnlyDictionary<string, string> values) =>
        arg.Arguments.Select(a => new ArgDefinition(
            expander.Expand(a.Name, values), a.Default is null ? null : expander.Expand(a.Default, values))).ToList();

    private static PlannedStage PlanStage(Stage stage, List<PlannedStage> earlier, ImmutableDictionary<string, string> globals, VariableExpander expander)
    {
        var from = stage.From;
        PlannedStage Invalid(string reason, bool beforeStep = false) => new(stage, new InvalidSource(reason, beforeStep), null, ImmutableDictionary<int, StageSource>.Empty);
        if (stage.Name is { } name && earlier.Exists(p => p.Name == name))
        {
            return Invalid($"{name} stage name already used", beforeStep: true);
        }
        string baseName, platform;
        try
        {
            baseName = expander.Expand(from.BaseName, globals);
            platform = from.Platform is null ? "" : expander.Expand(from.Platform, globals);
        }
        catch (DockerfileException e)
        {
            return Invalid(e.Reason);
        }
        if (baseName.Length == 0)
        {
            return Invalid($"base name ({from.BaseName}) should not be blank");
        }
        StageSource source = earlier.FindLast(p => p.Name == baseName.ToLowerInvariant()) is { } previous
            ? new PreviousStage(previous.Index, previous.Name)
            : baseName.Equals(ScratchSource.Name, StringComparison.Ordinal) ? new ScratchSource() : new ImageSource(baseName);
        var copySources = ImmutableDictionary.CreateBuilder<int, StageSource>();
        foreach (var copy in stage.Instructions.OfType<CopyInstruction>().Where(c => c.From is not null))
        {
            copySources[copy.Lines.StartLine] = CopySource(copy, stage.Index, earlier, globals, expander);
        }
        return new PlannedStage(stage, source, platform.Length == 0 ? null : platform, copySources.ToImmutable());
    }

    // COPY --from names an earlier stage, an earlier stage's index, or else an image (builder/dockerfile/evaluator.go).
    private static StageSource CopySource(CopyInstruction copy, int current, List<PlannedStage> earlier,
        ImmutableDictionary<string, string> globals, VariableExpander expander)
    {
        string from;
        try
        {
            from = expander.Expand(copy.From!, globals);
        }
        catch (DockerfileException e)
        {
            return new InvalidSource(e.Reason);
        }
        if (earlier.FindLast(p => p.Name == from.ToLowerInvariant()) is { } named)
        {
            return new PreviousStage(named.Index, named.Name);
        }
        if (!long.TryParse(from, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return new ImageSource(from);
        }
        if (index == current)
        {
            return new InvalidSource($"invalid from flag value {from}: refers to current build stage");
        }
        if (index < 0 || index > current)
        {
            return new InvalidSource($"invalid from flag value {from}: index out of bounds");
        }
        return new PreviousStage((int)index, earlier[(int)index].Name);
    }
}
