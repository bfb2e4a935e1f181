using System.Collections.Immutable;
using System.Globalization;
using Berth.Build.Dockerfile;
using Berth.Runtime.Build;
using Berth.Runtime.Images;

namespace Berth.Build.Engine;

/// <summary>
/// One build in progress: the step counter Docker prints (<c>Step 3/9 : …</c>, global ARGs and FROMs counted, ONBUILD
/// triggers not), each stage's resulting image for <c>FROM stage</c> and <c>COPY --from</c>, and the stage being run.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class BuildRun(
    ImageStore images, BuildWorkspace workspace, BuildCache cache, BuildNetworks networks, BuildRequest request, BuildPlan plan, IBuildOutput output)
    : IAsyncDisposable
{
    /// <summary>Docker's short image and container ids.</summary>
    private const int ShortIdLength = 12;

    private const string Sha256Prefix = "sha256:";

    private readonly Dictionary<int, string?> _stageImages = [];
    private BuildNetworkLease? _network;
    private readonly string? _hosts = HostsFile(request.ExtraHosts);
    private int _step;

    public int Steps { get; private set; }

    public int CachedSteps { get; private set; }

    public static string Short(string id) =>
        (id.StartsWith(Sha256Prefix, StringComparison.Ordinal) ? id[Sha256Prefix.Length..] : id)[..ShortIdLength];

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var labelSteps = LabelSteps(request.Labels);
        Steps = plan.StepCount + labelSteps.Length;
        foreach (var arg in plan.Dockerfile.GlobalArgs)
        {
            await StepLineAsync(arg, cancellationToken).ConfigureAwait(false);
        }

        string? result = null;
        int next = 0;
        foreach (var stage in plan.Stages)
        {
            // Stages the target does not need are not built; their steps keep Docker's numbering for the ones that are.
            for (; next < stage.Index; next++)
            {
                _step += 1 + plan.Dockerfile.Stages[next].Instructions.Length;
            }

            next = stage.Index + 1;
            var extra = stage == plan.Target ? labelSteps : ImmutableArray<Instruction>.Empty;
            result = await RunStageAsync(stage, extra, cancellationToken).ConfigureAwait(false);
            _stageImages[stage.Index] = result;
        }

        return result ?? throw new DockerfileException("No image was generated. Is your Dockerfile empty?");
    }

    private async Task<string?> RunStageAsync(PlannedStage stage, ImmutableArray<Instruction> extra, CancellationToken cancellationToken)
    {
        if (stage.Base is InvalidSource { BeforeStep: true } refused)
        {
            throw new DockerfileException(refused.Reason);
        }

        await StepLineAsync(stage.Stage.From, cancellationToken).ConfigureAwait(false);
        string? baseId = ImageOf(stage.Base);
        var config = ConfigOf(baseId);
        if (baseId is not null)
        {
            await WriteAsync($" ---> {Short(baseId)}\n", cancellationToken).ConfigureAwait(false);
        }

        var triggers = config?.OnBuild ?? [];
        var state = new StageState(stage, baseId, StageContext.Start(plan, new BaseImageConfig(
            [.. config?.Env ?? []], config?.WorkingDir ?? "", [.. config?.Shell ?? []])))
        {
            ClearOnBuild = triggers.Count > 0,
            AddsDefaultPath = !(config?.Env ?? []).Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)),
        };
        if (triggers.Count > 0)
        {
            string plural = triggers.Count == 1 ? "" : "s";
            await WriteAsync($"# Executing {triggers.Count.ToString(CultureInfo.InvariantCulture)} build trigger{plural}\n", cancellationToken).ConfigureAwait(false);
            foreach (string trigger in triggers)
            {
                await ApplyAsync(state, DockerfileParser.ParseTrigger(trigger), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var instruction in stage.Instructions.Concat(extra))
        {
            await StepLineAsync(instruction, cancellationToken).ConfigureAwait(false);
            await ApplyAsync(state, instruction, cancellationToken).ConfigureAwait(false);
        }

        return state.Image;
    }

    private string? ImageOf(StageSource source) => source switch
    {
        ScratchSource => null,
        PreviousStage previous => _stageImages[previous.Index],
        ImageSource image => images.Inspect(image.Reference).Id,
        InvalidSource invalid => throw new DockerfileException(invalid.Reason),
        _ => throw new InvalidOperationException("unknown stage source " + source),
    };

    private ContainerConfig? ConfigOf(string? imageId) => imageId is null ? null : images.Inspect(imageId).Config.Config;

    /// <summary>The target stage's extra steps for <c>--label</c>: one <c>LABEL k=v</c> each, in key order (Docker 20.10).</summary>
    internal static ImmutableArray<Instruction> LabelSteps(IReadOnlyDictionary<string, string> labels) =>
        [.. labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => LabelInstruction.Option(l.Key, l.Value))];

    private ValueTask StepLineAsync(Instruction instruction, CancellationToken cancellationToken)
    {
        _step++;
        return WriteAsync($"Step {_step.ToString(CultureInfo.InvariantCulture)}/{Steps.ToString(CultureInfo.InvariantCulture)} : {instruction.Code}\n", cancellationToken);
    }

    private ValueTask WriteAsync(string text, CancellationToken cancellationToken) => output.WriteAsync(text, cancellationToken);

    /// <summary>The build's network, made when the first RUN step needs it (a build without one, or all cached, makes none).</summary>
    private async Task<BuildNetworkLease> NetworkAsync(CancellationToken cancellationToken) =>
        _network ??= await networks.LeaseAsync(request.NetworkMode, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_network is { } network)
        {
            await network.DisposeAsync().ConfigureAwait(false);
        }
    }

    // --add-host name:ip (moby splits at the first colon, so IPv6 addresses stay whole).
    private static string? HostsFile(ImmutableArray<string> extraHosts)
    {
        if (extraHosts.IsDefaultOrEmpty)
        {
            return null;
        }

        var lines = new List<string> { "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback" };
        foreach (string entry in extraHosts)
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == entry.Length - 1)
            {
                throw new Core.Errors.BerthException(Core.Errors.ErrorKind.InvalidArgument, $"invalid extra host \"{entry}\": give it as NAME:IP");
            }

            lines.Add(entry[(colon + 1)..] + "\t" + entry[..colon]);
        }

        return string.Join('\n', lines) + "\n";
    }
}
