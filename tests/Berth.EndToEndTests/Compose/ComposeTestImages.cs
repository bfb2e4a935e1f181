using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// Stand-ins for the guide's images, made from busybox at test time: <c>bb:latest</c>, tagged as <c>nginx:alpine</c>
/// and <c>myorg/api:1.0</c>, and <c>postgres:15</c> — busybox with a <c>pg_isready</c> that answers "accepting connections"
/// once the "server" has written <c>/tmp/pg-ready</c>.
/// </summary>
public static class ComposeTestImages
{
    public const string PgReadyFile = "/tmp/pg-ready";

    private const string PgIsReady =
        "#!/bin/sh\n" +
        "# pg_isready stand-in: the server is ready once it wrote " + PgReadyFile + "\n" +
        "if [ -f " + PgReadyFile + " ]; then echo \"/var/run/postgresql:5432 - accepting connections\"; exit 0; fi\n" +
        "echo \"/var/run/postgresql:5432 - no response\"; exit 2\n";

    public static void Import(Berthd daemon, string directory)
    {
        BusyboxImage.Import(daemon, directory);
        daemon.DockerChecked("tag", "bb:latest", "nginx:alpine");
        daemon.DockerChecked("tag", "bb:latest", "myorg/api:1.0");

        string rootfs = Path.Combine(directory, "busybox-rootfs");
        string script = Path.Combine(rootfs, "bin", "pg_isready");
        File.WriteAllText(script, PgIsReady);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string tar = Path.Combine(directory, "postgres.tar");
        Cmd.Check("tar", "-C", rootfs, "-cf", tar, ".");
        daemon.DockerChecked("import", "-c", "CMD [\"sh\"]", tar, "postgres:15");
    }
}
