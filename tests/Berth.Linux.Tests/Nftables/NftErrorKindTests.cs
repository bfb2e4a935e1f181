using Berth.Core.Errors;
using Berth.Linux.Nftables;

namespace Berth.Linux.Tests.Nftables;

public class NftErrorKindTests
{
    [Theory]
    [InlineData("Error: Could not process rule: No such file or directory\ndelete table inet nothere\n                  ^^^^^^^", ErrorKind.NotFound)]
    [InlineData("Error: No such file or directory\nlist set inet berth portmap\n                    ^^^^^^^", ErrorKind.NotFound)]
    [InlineData("Error: Could not process rule: File exists\nadd element inet berth portmap { 8080 : 1.1.1.1 . 80 }", ErrorKind.Conflict)]
    [InlineData("Error: Could not process rule: Device or resource busy", ErrorKind.Conflict)]
    [InlineData("Error: syntax error, unexpected string\nadd rule inet berth pre foo bar", ErrorKind.InvalidArgument)]
    [InlineData("Error: No symbol type information\nadd rule inet berth pre foo bar", ErrorKind.InvalidArgument)]
    [InlineData("Error: transport protocol mapping is only valid after transport protocol match", ErrorKind.InvalidArgument)]
    [InlineData("Error: Could not process rule: Invalid argument", ErrorKind.InvalidArgument)]
    [InlineData("Error: Could not process rule: Operation not permitted", ErrorKind.Forbidden)]
    [InlineData("Error: Could not process rule: Operation not supported", ErrorKind.NotSupported)]
    [InlineData("Error: Could not process rule: Cannot allocate memory", ErrorKind.Unavailable)]
    [InlineData("Error: something nobody has seen before", ErrorKind.Internal)]
    public void Nft_error_text_maps_to_a_kind(string nftError, ErrorKind expected)
    {
        Assert.Equal(expected, NftablesException.KindOf(nftError));
    }
}
