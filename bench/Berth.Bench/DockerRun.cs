namespace Berth.Bench;

/// <summary>One docker CLI command's exit code and output.</summary>
internal sealed record DockerRun(int Code, string Output, string Error, string Command)
{
    public DockerRun Check() => Code == 0 ? this : throw new InvalidOperationException($"docker {Command} failed: {Error}");
}
