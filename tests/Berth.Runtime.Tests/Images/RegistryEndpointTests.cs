using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>berthd's <c>--insecure-registry</c>: which registries are reached over plain HTTP.</summary>
public sealed class RegistryEndpointTests
{
    private static readonly RegistryEndpoint Insecure = RegistryEndpoint.WithInsecure(["10.77.0.0/16", "reg.lab:5000", "plain.lab"]);

    [Theory]
    [InlineData("10.77.3.4:5000", "http://10.77.3.4:5000/")]
    [InlineData("10.78.0.1:5000", "https://10.78.0.1:5000/")]
    [InlineData("reg.lab:5000", "http://reg.lab:5000/")]
    [InlineData("reg.lab:5001", "https://reg.lab:5001/")]
    [InlineData("plain.lab:443", "http://plain.lab:443/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("ghcr.io", "https://ghcr.io/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    public void Insecure_registries_by_cidr_or_name_use_plain_http(string domain, string expected) =>
        Assert.Equal(expected, Insecure.BaseUri(domain).ToString());

    [Fact]
    public void Info_lists_loopback_and_the_cidrs_and_names_given()
    {
        Assert.Equal(["127.0.0.0/8", "10.77.0.0/16"], Insecure.InsecureCidrs);
        Assert.Equal(["plain.lab", "reg.lab:5000"], Insecure.InsecureNames);
    }

    [Theory]
    [InlineData("http://reg.lab:5000")]
    [InlineData("10.77.0.0/33")]
    [InlineData("reg.lab/path")]
    [InlineData("")]
    [InlineData("UPPER_case!")]
    public void A_bad_value_is_invalid_argument_naming_it(string value)
    {
        var e = Assert.Throws<BerthException>(() => RegistryEndpoint.WithInsecure([value]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("insecure registry", e.Message, StringComparison.Ordinal);
    }
}
