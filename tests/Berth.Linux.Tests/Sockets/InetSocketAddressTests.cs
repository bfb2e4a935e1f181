using System.Net;
using Berth.Linux.Interop;
using Berth.Linux.Sockets;

namespace Berth.Linux.Tests.Sockets;

public sealed class InetSocketAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", 4790, 16)]
    [InlineData("2001:db8::7", 4790, 28)]
    public void AWrittenSocketAddressReadsBackAsItsBytesAndPort(string text, ushort port, int expectedLength)
    {
        var address = IPAddress.Parse(text);
        int family = InetSocketAddress.FamilyOf(address);
        Span<byte> buffer = stackalloc byte[InetSocketAddress.MaxBytes];
        buffer.Fill(0xee);

        int length = InetSocketAddress.Write(buffer, family, address.GetAddressBytes(), port);

        Assert.Equal(expectedLength, length);
        Assert.Equal(address.GetAddressBytes(), InetSocketAddress.Address(buffer).ToArray());
        Assert.Equal(port, InetSocketAddress.Port(buffer));

        // The layout the kernel expects: family in host order, port in network order.
        Assert.Equal(family, buffer[0] | (buffer[1] << 8));
        Assert.Equal([(byte)(port >> 8), (byte)port], buffer.Slice(2, 2).ToArray());
        Assert.Equal(family == Libc.AF_INET ? 4 : 16, InetSocketAddress.AddressBytesOf(family));
    }
}
