using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// Stand-ins for the guide's images, made at test time from the busybox image (no registry): one rootfs with
/// an HTTP page, a <c>postgres</c> that becomes ready after two seconds, a <c>pg_isready</c> that says whether
/// it is, and an <c>api</c> answering on TCP 8080 — imported as <c>nginx:alpine</c>, <c>postgres:15</c> and
/// <c>myorg/api:1.0</c> (also tagged <c>myapp:latest</c>) with the matching commands.
/// </summary>
internal static class GuideImages
{
    /// <summary>What <c>nginx:alpine</c> serves on port 80.</summary>
    public const string Page = "nginx stand-in";

    /// <summary>What <c>myorg/api:1.0</c> says to every connection on <see cref="ApiPort"/>.</summary>
    public const string ApiReply = "api";

    public const int ApiPort = 8080;

    /// <summary>What <c>postgres:15</c> says to every connection on <see cref="PostgresPort"/>.</summary>
    public const string PostgresReply = "postgres";

    public const int PostgresPort = 5432;

    /// <summary>The line the postgres stand-in logs once <c>pg_isready</c> succeeds.</summary>
    public const string PostgresReady = "database system is ready to accept connections";

    private static readonly (string Path, string Text)[] Files =
    [
        ("www/index.html", Page + "\n"),
        ("usr/bin/pg_isready", """
            #!/bin/sh
            if [ -e /tmp/.s.PGSQL.5432 ]; then echo "/tmp:5432 - accepting connections"; exit 0; fi
            echo "/tmp:5432 - no response"
            exit 2

            """),
        ("usr/bin/postgres", $"""
            #!/bin/sh
            echo "postgres stand-in: starting"
            sleep 2
            touch /tmp/.s.PGSQL.5432
            echo "{PostgresReady}"
            exec nc -ll -p {PostgresPort} -e echo {PostgresReply}

            """),
        ("usr/bin/api", $"""
            #!/bin/sh
            echo "api stand-in: listening on {ApiPort}"
            exec nc -ll -p {ApiPort} -e echo {ApiReply}

            """),
    ];

    /// <summary>Imports the stand-ins (and <c>bb:latest</c>) into <paramref name="daemon"/>.</summary>
    public static void Import(Berthd daemon, string directory)
    {
        string tar = BusyboxImage.BuildTar(directory);
        string extra = Path.Combine(directory, "guide-files");
        foreach (var (path, text) in Files)
        {
            string file = Path.Combine(extra, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
            if (path.StartsWith("usr/bin/", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
            }
        }

        Cmd.Check("tar", "-rf", tar, "-C", extra, "www", "usr");
        daemon.DockerChecked("import", "-c", "CMD [\"sh\"]", tar, "bb:latest");
        daemon.DockerChecked("import", "-c", "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]", tar, "nginx:alpine");
        daemon.DockerChecked("import", "-c", "CMD [\"postgres\"]", tar, "postgres:15");
        daemon.DockerChecked("import", "-c", "CMD [\"api\"]", tar, "myorg/api:1.0");
        daemon.DockerChecked("tag", "myorg/api:1.0", "myapp:latest");
    }
}
