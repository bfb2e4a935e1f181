using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>The Dockerfile and build context both builders get: every instruction Docker 20.10's classic builder knows.</summary>
public sealed partial class BuildComparisonTests
{
    // Everything the classic builder accepts, --chmod and heredocs (BuildKit only) left out. Docker's classic builder
    // builds the "unused" stage anyway (it runs every stage up to the target), Berth does not; "after-target" neither.
    private const string Dockerfile = """
        ARG BASE=bb:latest
        ARG GLOBAL_ONLY=global
        FROM ${BASE} AS builder
        ARG BASE
        ARG GLOBAL_ONLY
        RUN mkdir -p /out && echo "base=$BASE global=$GLOBAL_ONLY" > /out/base.txt && chmod 640 /out/base.txt && chown 7:8 /out/base.txt
        RUN ["/bin/sh", "-c", "echo exec-form > /out/exec.txt"]
        RUN echo to-stderr >&2
        HEALTHCHECK NONE
        ENTRYPOINT echo builder-entry
        CMD ["ignored"]

        FROM bb:latest AS unused
        RUN echo the classic builder runs every stage before the target

        FROM bb:latest AS final
        MAINTAINER Berth Tests <tests@example.com>
        ARG VERSION=1.0
        ARG FLAVOR
        ARG EMPTY=
        ARG UNSET_ARG
        ENV APP_HOME=/app \
            VERSION_ENV=${VERSION} FLAVOR_D=${FLAVOR:-plain} FLAVOR_P=${FLAVOR:+flavoured} EMPTY_D=${EMPTY:-none} UNSET_P=x${UNSET_ARG:+y}
        ENV LEGACY legacy value   with spaces
        ENV QUOTED="a \"quoted\" value" SINGLE='single $VERSION'
        LABEL org.example.version=$VERSION "org.example.quoted key"="a b" \
              org.example.multi=one org.example.home="${APP_HOME}"
        EXPOSE 80 53/udp 8000-8002/tcp 9000/udp
        WORKDIR app
        WORKDIR sub
        WORKDIR ../work
        COPY passwd group /etc/
        COPY --chown=appuser:appgroup files/ ./files/
        COPY --chown=1234 one.txt ./
        COPY --chown=1234:5678 two.txt ./numeric/
        COPY *.txt /globbed/
        COPY ["spaced name.txt", "/json form/"]
        COPY --from=builder /out/ /from-builder/
        COPY --from=0 /out/base.txt /from-zero.txt
        COPY . /ctx/
        ADD archive.tar /extracted/
        ADD archive.tar.gz /extracted-gz
        ADD plain.txt /added/
        RUN echo "$VERSION_ENV $FLAVOR_D $FLAVOR_P $EMPTY_D $UNSET_P" > /app/work/env.txt && id > /app/work/id.txt
        RUN ["/bin/sh", "-c", "echo json-run > /app/work/json.txt"]
        SHELL ["/bin/sh", "-ec"]
        RUN echo "shell=$0 flavor=$FLAVOR" > /app/work/shell.txt
        USER appuser
        RUN id
        USER 0
        VOLUME /data
        VOLUME ["/cache", "/logs"]
        RUN echo discarded > /data/lost && mkdir /cache/sub
        USER 1000:1000
        HEALTHCHECK --interval=30s --timeout=5s --start-period=2s --retries=4 CMD wget -q -O- localhost || exit 1
        STOPSIGNAL SIGUSR1
        ONBUILD RUN echo triggered
        ONBUILD COPY . /onbuild/
        ENTRYPOINT echo shell-entry
        CMD echo from-cmd "$VERSION_ENV"
        ENTRYPOINT ["/bin/sh", "-c", "exec \"$@\"", "entry"]

        FROM final AS after-target
        RUN echo never built
        """;

    private static readonly string[] BuildFlags =
        ["--build-arg", "FLAVOR=spicy", "--build-arg", "UNUSED_OPT=1", "--label", "built.by=test", "--label", "a.first=1", "--label", "quoted=\"q\" $HOME"];

    /// <summary>A build FROM the final image: its ONBUILD triggers run first.</summary>
    private const string ChildDockerfile = "FROM app:final\nRUN echo child-step && id\n";

    /// <summary>What the trees are compared at: everything the Dockerfile writes.</summary>
    private static readonly string[] ComparedPaths =
        ["app", "etc/passwd", "etc/group", "globbed", "json form", "from-builder", "from-zero.txt", "ctx", "extracted", "extracted-gz", "added", "tmp", "data", "cache", "logs", "onbuild"];

    private string MainContext()
    {
        string context = Directory.CreateDirectory(Path.Combine(TestRoot, "compare", "main")).FullName;
        Write(context, "Dockerfile", Dockerfile.ReplaceLineEndings("\n") + "\n");
        Write(context, "passwd", "root:x:0:0:root:/root:/bin/sh\nappuser:x:2001:2002:app:/home/app:/bin/sh\n");
        Write(context, "group", "root:x:0:\nappgroup:x:2002:\nother:x:3003:appuser\n");
        Write(context, "files/a.txt", "a\n");
        Write(context, "files/run.sh", "#!/bin/sh\necho run\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Write(context, "files/sub/b.txt", "b\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(context, "files", "link"), "a.txt");
        Write(context, "one.txt", "one\n");
        Write(context, "two.txt", "two\n");
        Write(context, "spaced name.txt", "spaced\n");
        Write(context, "plain.txt", "plain\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Write(context, "secret.txt", "never sent\n");
        Write(context, "x.log", "ignored\n");
        Write(context, "keep.log", "kept by the exception\n");
        Write(context, "ignored-dir/f", "ignored\n");
        Write(context, ".dockerignore", "secret.txt\n*.log\n!keep.log\nignored-dir\ntar\n");

        // ADD unpacks a tar with its owners and modes, plain or gzip'ed.
        Write(context, "tar/tree/x.txt", "x\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(context, "tar/tree/bin.sh", "#!/bin/sh\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.CreateSymbolicLink(Path.Combine(context, "tar", "tree", "link"), "x.txt");
        Cmd.Check("tar", "-C", Path.Combine(context, "tar"), "--owner=42", "--group=43", "--numeric-owner", "-cf", Path.Combine(context, "archive.tar"), "tree");
        Cmd.Check("tar", "-C", Path.Combine(context, "tar"), "--owner=0", "--group=0", "--numeric-owner", "-czf", Path.Combine(context, "archive.tar.gz"), "tree");
        return context;
    }

    private string ChildContext()
    {
        string context = Directory.CreateDirectory(Path.Combine(TestRoot, "compare", "child")).FullName;
        Write(context, "Dockerfile", ChildDockerfile);
        Write(context, "c.txt", "child context\n");
        return context;
    }

    private string ErrorContext()
    {
        string context = Directory.CreateDirectory(Path.Combine(TestRoot, "compare", "broken")).FullName;
        Write(context, "present.txt", "here\n");
        Write(context, "passwd", "root:x:0:0:root:/root:/bin/sh\n");
        Write(context, "group", "root:x:0:\n");
        return context;
    }

    private static void Write(string directory, string name, string content, UnixFileMode? mode = null)
    {
        string path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
    }
}
