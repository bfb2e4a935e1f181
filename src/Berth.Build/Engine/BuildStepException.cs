using Berth.Core.Errors;

namespace Berth.Build.Engine;

/// <summary>
/// A RUN that exited non-zero: Docker 20.10's message (<c>The command '/bin/sh -c exit 3' returned a non-zero code: 3</c>)
/// and the exit code, which the classic builder sends as the error's <c>code</c> and the docker CLI exits with.
/// </summary>
public sealed class BuildStepException(string message, int exitCode) : BerthException(ErrorKind.InvalidArgument, message)
{
    public int ExitCode { get; } = exitCode;
}
