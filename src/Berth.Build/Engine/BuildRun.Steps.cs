using System.Collections.Immutable;
using System.Text;
using Berth.Build.Dockerfile;
using Berth.Core.Errors;
using Berth.Runtime.Build;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;

namespace Berth.Build.Engine;

internal sealed partial class BuildRun
{
    // Docker's classic builder shows a RUN's stderr in bright red: each piece between these ANSI codes (moby
    // streamformatter.NewStderrWriter).
    private const string StderrStart = "\u001b[91m";
    private const string StderrEnd = "\u001b[0m";

    private async Task ApplyAsync(StageState state, Instruction instruction, CancellationToken cancellationToken)
    {
        var step = state.Context.Step(instruction);
        switch (step.Instruction)
        {
            case RunInstruction run:
                await RunAsync(state, run, step.CreatedBy!, cancellationToken).ConfigureAwait(false);
                break;
            case CopyInstruction or AddInstruction:
                await CopyAsync(state, instruction, step.Instruction, cancellationToken).ConfigureAwait(false);
                break;
            case WorkdirInstruction workdir:
                await WorkdirAsync(state, step, workdir.Path, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await CommitMetadataAsync(state, step, cancellationToken).ConfigureAwait(false);
                break;
        }

        state.Context = step.After;
    }

    private async Task RunAsync(StageState state, RunInstruction run, string createdBy, CancellationToken cancellationToken)
    {
        if (!run.Mounts.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.NotSupported, $"{run.Code}: RUN --mount needs BuildKit (its cache, secret, ssh and bind mounts); Berth's builder is Docker's classic one — COPY what the step needs into the stage, or take it from another stage with COPY --from");
        }

        var invocation = state.Context.Invocation(run);
        var commit = Commit(state, createdBy, BuildConfigChanges.None);
        string key = BuildCache.KeyOf(state.Image, createdBy, Flags(state, commit.Changes) + ScriptFlag(invocation));
        if (await TryCachedAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var config = ConfigOf(state.Image);
        var argv = invocation.Arguments;
        using var snapshot = await workspace.CreateSnapshotAsync(state.Image, cancellationToken).ConfigureAwait(false);
        string container = snapshot.Id[..Math.Min(ShortIdLength, snapshot.Id.Length)];
        await WriteAsync($" ---> Running in {container}\n", cancellationToken).ConfigureAwait(false);
        var stdout = Encoding.UTF8.GetDecoder();
        var stderr = Encoding.UTF8.GetDecoder();
        var network = await NetworkAsync(cancellationToken).ConfigureAwait(false);
        int code = await workspace.RunStepAsync(snapshot, new BuildRunSpec
        {
            Args = [.. argv],
            Env = state.Context.RunEnv,
            WorkingDir = config?.WorkingDir ?? "",
            User = config?.User ?? "",
            Network = network.Network,
            ResolvConf = network.ResolvConf,
            Hosts = _hosts,
            Scripts = invocation.Script is { } script ? [new BuildInlineFile(script.Name, script.Text)] : [],
            ScriptDirectory = RunInvocation.ScriptDirectory,
            Volumes = [.. config?.Volumes?.Keys ?? []],
        }, (stream, bytes, token) => WriteAsync(
            stream == LogStream.Stderr ? StderrStart + Decode(stderr, bytes.Span) + StderrEnd : Decode(stdout, bytes.Span), token), cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new BuildStepException($"The command '{string.Join(' ', argv)}' returned a non-zero code: {code}", code);
        }

        string id = await workspace.CommitStepAsync(snapshot, commit, cancellationToken).ConfigureAwait(false);
        if (request.Remove || request.ForceRemove)
        {
            await WriteAsync($"Removing intermediate container {container}\n", cancellationToken).ConfigureAwait(false);
        }

        await CommittedAsync(state, key, id, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyAsync(StageState state, Instruction written, Instruction resolved, CancellationToken cancellationToken)
    {
        var (sources, contents, destination, chown, chmod, from) = resolved switch
        {
            CopyInstruction c => (c.Sources, c.Contents, c.Destination, c.Chown, c.Chmod, state.Stage.CopySourceOf((CopyInstruction)written)),
            AddInstruction a => (a.Sources, a.Contents, a.Destination, a.Chown, a.Chmod, (StageSource?)null),
            _ => throw new ArgumentException("only COPY and ADD copy", nameof(resolved)),
        };
        RefuseUrls(resolved, sources);
        var spec = new BuildCopySpec
        {
            Sources = sources,
            Contents = contents.IsDefault ? [] : [.. contents.Select(c => new BuildInlineFile(c.Name, c.Text))],
            Destination = destination,
            WorkingDir = ConfigOf(state.Image)?.WorkingDir ?? "",
            Chown = chown,
            Chmod = chmod,
            ExtractArchives = resolved is AddInstruction,
        };
        BuildSnapshot? fromSnapshot = from is null ? null : await workspace.CreateSnapshotAsync(CopyFromImage(from), cancellationToken).ConfigureAwait(false);
        using (fromSnapshot)
        {
            var source = fromSnapshot is null ? BuildCopySource.Context(request.ContextDirectory) : BuildCopySource.From(fromSnapshot);
            string checksum;
            try
            {
                checksum = await workspace.ChecksumAsync(source, spec, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e is not DockerfileException)
            {
                // Docker 20.10: "COPY failed: file not found in build context or excluded by .dockerignore: …".
                throw new BerthException(e.Kind, $"{resolved.Keyword} failed: {e.Message}", e);
            }

            string createdBy = state.Context.CopyCreatedBy(resolved, checksum);
            var commit = Commit(state, createdBy, BuildConfigChanges.None);
            string key = BuildCache.KeyOf(state.Image, createdBy, Flags(state, commit.Changes));
            if (await TryCachedAsync(state, key, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            using var snapshot = await workspace.CreateSnapshotAsync(state.Image, cancellationToken).ConfigureAwait(false);
            await workspace.CopyIntoSnapshotAsync(snapshot, source, spec, cancellationToken).ConfigureAwait(false);
            string id = await workspace.CommitStepAsync(snapshot, commit, cancellationToken).ConfigureAwait(false);
            await CommittedAsync(state, key, id, cancellationToken).ConfigureAwait(false);
        }
    }

    // moby's urlutil.IsURL: http:// and https:// only. COPY never downloads (Docker's words); ADD would, but this
    // builder has no network of its own to fetch with, so it says so instead of looking for the URL in the context.
    private static void RefuseUrls(Instruction instruction, ImmutableArray<string> sources)
    {
        foreach (string source in sources)
        {
            if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw instruction is AddInstruction
                    ? new BerthException(ErrorKind.NotSupported, $"ADD {source}: downloading remote URLs is not supported by Berth's builder; download the file into the build context and ADD or COPY it from there")
                    : new BerthException(ErrorKind.InvalidArgument, "source can't be a URL for COPY");
            }
        }
    }

    // Docker 20.10 makes WORKDIR's directory in a container and commits that: a layer when the directory was missing,
    // an empty layer when it was there.
    private async Task WorkdirAsync(StageState state, StageStep step, string path, CancellationToken cancellationToken)
    {
        var changes = MetadataChanges.Of(step.Instruction, state.Context, state.CmdSet);
        string createdBy = step.CreatedBy ?? throw new BerthException(ErrorKind.Internal, "WORKDIR: no history text");
        var commit = Commit(state, createdBy, changes);
        string key = BuildCache.KeyOf(state.Image, createdBy, Flags(state, changes));
        if (await TryCachedAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        using var snapshot = await workspace.CreateSnapshotAsync(state.Image, cancellationToken).ConfigureAwait(false);
        await workspace.MakeWorkingDirectoryAsync(snapshot, path, cancellationToken).ConfigureAwait(false);
        string id = await workspace.CommitStepAsync(snapshot, commit, cancellationToken).ConfigureAwait(false);
        await CommittedAsync(state, key, id, cancellationToken).ConfigureAwait(false);
    }

    // Docker 20.10 names the flag in a COPY --from image's failure: "invalid from flag value x: <why>".
    private string? CopyFromImage(StageSource from)
    {
        try
        {
            return ImageOf(from);
        }
        catch (BerthException e) when (from is ImageSource image && e is not DockerfileException)
        {
            throw new BerthException(e.Kind, $"invalid from flag value {image.Reference}: {e.Message}", e);
        }
    }

    private async Task CommitMetadataAsync(StageState state, StageStep step, CancellationToken cancellationToken)
    {
        if (step.Instruction is MaintainerInstruction maintainer)
        {
            state.Author = maintainer.Maintainer;
        }

        var changes = MetadataChanges.Of(step.Instruction, state.Context, state.CmdSet);
        if (step.Instruction is CmdInstruction)
        {
            state.CmdSet = true;
        }

        string createdBy = step.CreatedBy ?? throw new BerthException(ErrorKind.Internal, $"{step.Instruction.Keyword}: no history text for a metadata step");
        var commit = Commit(state, createdBy, changes);
        string key = BuildCache.KeyOf(state.Image, createdBy, Flags(state, changes));
        if (await TryCachedAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        string id = await workspace.CommitMetadataAsync(state.Image, commit, cancellationToken).ConfigureAwait(false);
        await CommittedAsync(state, key, id, cancellationToken).ConfigureAwait(false);
    }

    private static BuildCommitSpec Commit(StageState state, string createdBy, BuildConfigChanges changes)
    {
        if (state.AddsDefaultPath)
        {
            changes = changes with { Env = ["PATH=" + StageContext.DefaultPath, .. changes.Env ?? []] };
        }

        return new BuildCommitSpec
        {
            CreatedBy = createdBy,
            Author = state.Author,
            Changes = state.ClearOnBuild ? changes with { ClearOnBuild = true } : changes,
        };
    }

    // What the created_by text does not show but changes the image: the author, a CMD an ENTRYPOINT drops, ONBUILD
    // triggers dropped after running them.
    private static string Flags(StageState state, BuildConfigChanges changes) =>
        $"author={state.Author}\nclearcmd={changes.ClearCmd}\nclearonbuild={state.ClearOnBuild}";

    // A shebang heredoc runs as "/bin/sh -c /dev/pipes/EOF": the text does not show the script, so the key carries it
    // (BuildKit's cache key covers the mounted file's content the same way). Other heredoc bodies are in the text.
    internal static string ScriptFlag(RunInvocation invocation) =>
        invocation.Script is { } script ? $"\nscript={script.Name}\n{script.Text}" : "";

    private async Task<bool> TryCachedAsync(StageState state, string key, CancellationToken cancellationToken)
    {
        if (request.NoCache || cache.Find(key) is not { } cached)
        {
            return false;
        }

        CachedSteps++;
        state.Image = cached;
        state.ClearOnBuild = false;
        state.AddsDefaultPath = false;
        await WriteAsync($" ---> Using cache\n ---> {Short(cached)}\n", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task CommittedAsync(StageState state, string key, string id, CancellationToken cancellationToken)
    {
        await cache.RecordAsync(key, id, cancellationToken).ConfigureAwait(false);
        state.Image = id;
        state.ClearOnBuild = false;
        state.AddsDefaultPath = false;
        await WriteAsync($" ---> {Short(id)}\n", cancellationToken).ConfigureAwait(false);
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush: false)];
        int count = decoder.GetChars(bytes, chars, flush: false);
        return new string(chars, 0, count);
    }
}
