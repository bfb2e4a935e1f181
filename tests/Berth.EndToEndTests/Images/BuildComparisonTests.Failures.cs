namespace Berth.EndToEndTests.Images;

/// <summary>Broken Dockerfiles (and one that only looks broken): the steps printed, the line the CLI prints for the error, and the exit code.</summary>
public sealed partial class BuildComparisonTests
{
    /// <summary>
    /// Dockerfile text and extra flags. Left out: a missing base image or <c>COPY --from</c> image (Docker pulls, and its
    /// error is the registry's answer), a WORKDIR or <c>--chown</c> failure whose text holds Docker's storage path,
    /// <c>--chmod</c> (BuildKit only in Docker; Berth takes it), a RUN that cannot start (the runtime's text: runc or crun).
    /// </summary>
    private static readonly (string Dockerfile, string[] Flags)[] Broken =
    [
        ("FROM bb:latest\nFOMR x\n", []),
        ("FROM bb:latest\nCOPY missing.txt /\n", []),
        ("FROM bb:latest\nCOPY miss*.txt /\n", []),
        ("FROM bb:latest\nCOPY miss*.txt present.txt /\n", []), // builds: a pattern that matches nothing adds nothing
        ("FROM bb:latest\nCOPY ../outside /x\n", []),
        ("FROM bb:latest\nCOPY present.txt passwd /notdir\n", []),
        ("FROM bb:latest\nCOPY --foo=1 present.txt /\n", []),
        ("FROM bb:latest\nCOPY passwd group /etc/\nCOPY --chown=nosuchuser present.txt /\n", []),
        ("FROM bb:latest\nCOPY passwd group /etc/\nCOPY --chown=root:nosuchgroup present.txt /\n", []),
        ("FROM bb:latest\nCOPY --from=1 /bin/sh /y\n", []),
        ("FROM bb:latest\nCOPY --from=0 /bin/sh /y\n", []),
        ("FROM bb:latest\nARG\n", []),
        ("FROM\n", []),
        ("ARG B\nFROM $B\n", []),
        ("FROM ${X:?unset}\n", []),
        ("FROM bb:latest AS a\nFROM bb:latest AS a\n", []),
        ("RUN true\n", []),
        ("FROM bb:latest\nRUN exit 1\n", []),
        ("FROM bb:latest\nRUN [\"/bin/sh\", \"-c\", \"echo failing >&2; exit 3\"]\n", []),
        ("FROM bb:latest\nENV a\n", []),
        ("FROM bb:latest\nENV a=b c\n", []),
        ("FROM bb:latest\nONBUILD LABEL x\n", []),
        ("FROM bb:latest\nENV a=${b:?missing}\n", []),
        ("FROM bb:latest\nARG E\nWORKDIR $E\n", []),
        ("FROM bb:latest\nEXPOSE 80/foo\n", []),
        ("FROM bb:latest\nEXPOSE 9-3\n", []),
        ("FROM bb:latest\nHEALTHCHECK --retries=0 CMD true\n", []),
        ("FROM bb:latest\nSHELL /bin/bash\n", []),
        ("FROM bb:latest AS a\nRUN true\n", ["--target", "nosuch"]),
    ];

    private void CompareFailures(List<string> differences, Side docker, Side berth)
    {
        string context = ErrorContext();
        foreach (var (dockerfile, flags) in Broken)
        {
            File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
            // --force-rm: Docker keeps a failed RUN's container otherwise (its --rm removes only the successful steps'),
            // where Berth keeps no step's container at all.
            var dockerResult = docker.Docker(["build", "--force-rm", .. flags, context]);
            var berthResult = berth.Docker(["build", "--force-rm", .. flags, context]);
            Same(differences, "failing build of\n" + dockerfile, BuildOutput(dockerResult), BuildOutput(berthResult));
        }
    }
}
