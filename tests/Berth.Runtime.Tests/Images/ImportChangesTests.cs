using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class ImportChangesTests
{
    [Fact]
    public void Json_and_shell_forms_of_cmd_and_entrypoint()
    {
        var config = ImportChanges.Apply(new ContainerConfig(), ["CMD [\"sh\"]", "ENTRYPOINT /bin/echo hi"]);
        Assert.Equal(["sh"], config.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/echo hi"], config.Entrypoint);

        config = ImportChanges.Apply(new ContainerConfig(), ["CMD sh -c x"]);
        Assert.Equal(["/bin/sh", "-c", "sh -c x"], config.Cmd);
    }

    [Fact]
    public void Env_label_expose_workdir_user_stopsignal()
    {
        var config = ImportChanges.Apply(new ContainerConfig(),
        [
            "ENV A=1 B=\"two words\"",
            "ENV C three four",
            "ENV A=override",
            "LABEL com.example.x=y z='q r'",
            "EXPOSE 80 53/udp 8080/TCP 9000-9001",
            "WORKDIR /srv",
            "USER 1000:1000",
            "stopsignal SIGTERM",
        ]);
        Assert.Equal(["B=two words", "C=three four", "A=override"], config.Env);
        Assert.Equal("y", config.Labels!["com.example.x"]);
        Assert.Equal("q r", config.Labels["z"]);
        Assert.Equal(["53/udp", "80/tcp", "8080/tcp", "9000/tcp", "9001/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal("1000:1000", config.User);
        Assert.Equal("SIGTERM", config.StopSignal);
    }

    [Fact]
    public void Unknown_instructions_are_all_reported_by_name()
    {
        var ex = Assert.Throws<BerthException>(() =>
            ImportChanges.Apply(new ContainerConfig(), ["RUN echo", "FROM scratch", "CMD [\"ok\"]"]));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("instruction RUN is not supported", ex.Message, StringComparison.Ordinal);
        Assert.Contains("instruction FROM is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EXPOSE 70000/tcp")]
    [InlineData("EXPOSE 9-3")]
    [InlineData("EXPOSE 80/icmp")]
    [InlineData("LABEL novalue")]
    [InlineData("ENV")]
    [InlineData("LABEL a=\"unterminated")]
    [InlineData("")]
    public void Bad_arguments_are_invalid(string change)
    {
        var ex = Assert.Throws<BerthException>(() => ImportChanges.Apply(new ContainerConfig(), [change]));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }
}
