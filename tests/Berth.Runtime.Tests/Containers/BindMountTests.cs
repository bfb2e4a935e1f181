using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

public sealed class BindMountTests
{
    [Theory]
    [InlineData("/a:/b", "/a", "/b", false)]
    [InlineData("/a:/b:ro", "/a", "/b", true)]
    [InlineData("/a:/b:rw", "/a", "/b", false)]
    public void Parses(string value, string source, string destination, bool readOnly) =>
        Assert.Equal(new BindMount(source, destination, readOnly), BindMount.Parse(value));

    [Theory]
    [InlineData("vol:/b")]
    [InlineData("/a")]
    [InlineData("/a:/b:zz")]
    public void RejectsWhatIsNotABind(string value) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => BindMount.Parse(value)).Kind);

    [Fact]
    public void ConmonGetsTheDocumentedArguments()
    {
        var launcher = new ConmonLauncher(ContainerRuntimeOptions.Under("/run/b"));
        string args = string.Join(' ', launcher.Arguments("c1", new ContainerPaths("/var/c1"), tty: false));
        Assert.Equal(
            "--api-version 1 --cid c1 --cuuid c1 --name c1 --runtime /usr/sbin/runc --bundle /var/c1 --container-pidfile /var/c1/container.pid "
            + "--conmon-pidfile /var/c1/conmon.pid --log-path k8s-file:/var/c1/container.log --exit-dir /run/b/exits --socket-dir-path /run/b/sockets "
            + "--runtime-arg --root=/run/b/runc --runtime-arg --log=/var/c1/runc.log --runtime-arg --log-format=json --log-level warning",
            args);
    }
}
