using Berth.Core.Errors;
using Berth.Linux.Namespaces;

namespace Berth.Linux.Tests.Namespaces;

public sealed class NamespaceNameTests
{
    [Theory]
    [InlineData("web1")]
    [InlineData("berth-abc_123")]
    [InlineData("with.dots")]
    [InlineData("...")]
    [InlineData("ünïcode")]
    public void GoodNames_HaveNoProblem(string name) => Assert.Null(NamespaceName.Problem(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "not allowed")]
    [InlineData("..", "not allowed")]
    [InlineData("a/b", "'/'")]
    [InlineData("/abs", "'/'")]
    [InlineData("nul\0byte", "NUL")]
    public void BadNames_AreInvalidArgument(string name, string expected)
    {
        var error = Assert.Throws<BerthException>(() => NamespaceName.Validate(name));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameOf255Bytes_IsAccepted_256IsNot()
    {
        Assert.Null(NamespaceName.Problem(new string('a', 255)));
        Assert.Contains("256 bytes", NamespaceName.Problem(new string('a', 256)), StringComparison.Ordinal);

        // Multi-byte characters count in bytes: 128 × 'é' = 256 bytes.
        Assert.NotNull(NamespaceName.Problem(new string('é', 128)));
    }

    [Fact]
    public void ManagerPathOf_JoinsDirectoryAndValidates()
    {
        var manager = new NamespaceManager("/run/berth-unit/netns/");

        Assert.Equal("/run/berth-unit/netns/x", manager.PathOf("x"));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => manager.PathOf("../x")).Kind);
    }

    [Fact]
    public void Manager_RelativeDirectory_IsInvalidArgument()
    {
        var error = Assert.Throws<BerthException>(() => new NamespaceManager("run/netns"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }
}
