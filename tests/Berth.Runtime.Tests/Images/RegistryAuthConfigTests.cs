using System.Text;
using Berth.Core.Errors;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>The <c>X-Registry-Auth</c> header and <c>POST /auth</c>'s body: Docker's AuthConfig, as the docker CLI encodes it.</summary>
public sealed class RegistryAuthConfigTests
{
    private static string UrlBase64(string json, bool pad = true)
    {
        string text = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
        return pad ? text : text.TrimEnd('=');
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_clis_header_gives_user_and_password(bool padded)
    {
        // "?>" and "??" in the password put '-' and '_' into base64url.
        string header = UrlBase64("""{"username":"me","password":"p?>w??","serveraddress":"127.0.0.1:5000"}""", padded);
        var config = RegistryAuthConfig.FromHeader(header)!;
        Assert.Equal("127.0.0.1:5000", config.ServerAddress);
        Assert.Equal(new RegistryCredentials("me", "p?>w??"), config.Credentials());
    }

    [Fact]
    public void The_config_files_auth_is_read_when_user_and_password_are_not_given()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("me:with:colon"));
        Assert.Equal(new RegistryCredentials("me", "with:colon"), RegistryAuthConfig.FromHeader(UrlBase64($$"""{"auth":"{{auth}}"}"""))!.Credentials());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_header_is_an_anonymous_pull(string? header) => Assert.Null(RegistryAuthConfig.FromHeader(header));

    [Fact]
    public void An_empty_config_carries_no_credentials() => Assert.Null(RegistryAuthConfig.FromHeader(UrlBase64("{}"))!.Credentials());

    [Theory]
    [InlineData("%%%")]
    [InlineData("bm90IGpzb24")]
    [InlineData("WzFd")]
    public void A_malformed_header_is_invalid_argument_naming_it(string header)
    {
        var e = Assert.Throws<BerthException>(() => RegistryAuthConfig.FromHeader(header));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("X-Registry-Auth", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_auth_field_is_invalid_argument()
    {
        var config = RegistryAuthConfig.FromHeader(UrlBase64("""{"auth":"bm8tY29sb24="}"""))!;
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => config.Credentials()).Kind);
    }

    [Fact]
    public void Round_trip_and_printing_hide_the_password()
    {
        var config = new RegistryAuthConfig { Username = "me", Password = "secret-pw", ServerAddress = "r:5000" };
        Assert.Equal(config, RegistryAuthConfig.FromHeader(config.ToHeader()));
        Assert.DoesNotContain("secret-pw", config.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", new RegistryCredentials("me", "secret-pw").ToString(), StringComparison.Ordinal);
    }
}
