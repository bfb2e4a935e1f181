using Berth.Build.Dockerfile;
using Berth.Build.Engine;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Build.Tests.Engine;

/// <summary>The engine's pure rules: config changes per instruction (moby's dispatchers) and the cache index.</summary>
public sealed class EngineRulesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "berth-build-engine-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void MetadataInstructionsChangeTheConfigAsDockersDispatchersDo()
    {
        var steps = Steps("FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\nENTRYPOINT [\"/run\"]\nHEALTHCHECK --interval=5s --retries=2 CMD true\n");
        var context = steps[1].After;

        Assert.Equal<string>(["/bin/bash", "-c", "echo hi"], MetadataChanges.Of(steps[1].Instruction, context, cmdSetInStage: false).Cmd!);
        var entrypoint = MetadataChanges.Of(steps[2].Instruction, context, cmdSetInStage: true);
        Assert.Equal<string>(["/run"], entrypoint.Entrypoint!);
        Assert.False(entrypoint.ClearCmd);
        Assert.True(MetadataChanges.Of(steps[2].Instruction, context, cmdSetInStage: false).ClearCmd);
        var health = MetadataChanges.Of(steps[3].Instruction, context, cmdSetInStage: false).Healthcheck!;
        Assert.Equal((5_000_000_000L, 2), (health.Interval, health.Retries));
        Assert.Equal<string>(["CMD-SHELL", "true"], health.Test!);
    }

    // Docker 20.10: one LABEL step per --label, in key order, printed and recorded as given, never substituted or unquoted.
    [Fact]
    public void EachLabelOptionIsALiteralStepOfItsOwn()
    {
        var steps = BuildRun.LabelSteps(new Dictionary<string, string> { ["z"] = "last", ["quoted"] = "\"q\" $HOME", ["a.first"] = "1" });
        Assert.Equal(["LABEL a.first=1", "LABEL quoted=\"q\" $HOME", "LABEL z=last"], steps.Select(s => s.Code));

        var context = StageContext.Start(BuildPlan.Create(DockerfileParser.Parse("FROM scratch\nENV HOME=/root")), BaseImageConfig.Scratch);
        var step = context.Step(steps[1]);
        Assert.Equal(new KeyValue("quoted", "\"q\" $HOME"), ((LabelInstruction)step.Instruction).Labels.Single());
        Assert.Equal("/bin/sh -c #(nop)  LABEL quoted=\"q\" $HOME", step.CreatedBy);
        Assert.Equal("\"q\" $HOME", MetadataChanges.Of(step.Instruction, step.After, cmdSetInStage: false).Labels!["quoted"]);
    }

    [Fact]
    public async Task TheCacheFindsAStepByParentAndTextOnlyWhileItsImageExists()
    {
        using var images = new ImageStore(root, NullLogger<ImageStore>.Instance);
        string id = await images.CommitContainerAsync(new ImageCommit(null, new ContainerConfig(), null) { CreatedBy = "step" }, (_, _) => Task.FromResult(0));
        string index = Path.Combine(root, "builds", "cache.json");
        var cache = new BuildCache(index, images);
        string key = BuildCache.KeyOf(null, "/bin/sh -c make");

        Assert.Null(cache.Find(key));
        await cache.RecordAsync(key, id);
        Assert.Equal(id, cache.Find(key));
        Assert.Null(cache.Find(BuildCache.KeyOf(null, "/bin/sh -c make", "author=me")));
        Assert.Null(cache.Find(BuildCache.KeyOf("sha256:other", "/bin/sh -c make")));

        // The index outlives the process; an entry whose image was removed is a miss.
        Assert.Equal(id, new BuildCache(index, images).Find(key));
        await images.RemoveAsync(id, force: true);
        Assert.Null(new BuildCache(index, images).Find(key));
    }

    private static List<StageStep> Steps(string text) => PlanTests.Run(BuildPlan.Create(DockerfileParser.Parse(text)));
}
