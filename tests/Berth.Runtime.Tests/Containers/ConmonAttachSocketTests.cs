using System.Net.Sockets;
using System.Text;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Tests.Containers;

/// <summary>
/// The attach connection against a stand-in for conmon's attach socket (SOCK_SEQPACKET in a bundle
/// directory): input arrives in messages, the end of input is a read of 0, and the connection stays open
/// after it, so output conmon writes back later still finds it (conmon 2.1.6 leaves the container's stdin
/// open when that write fails before it reads the end).
/// </summary>
public sealed class ConmonAttachSocketTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly string _bundle = Directory.CreateTempSubdirectory("berth-attach-").FullName;

    [Fact]
    public async Task TheEndOfInputKeepsTheConnectionOpenUntilConmonClosesIt()
    {
        using var listener = Listen();
        await using var stdin = await ConmonAttachSocket.ConnectAsync(new ContainerPaths(_bundle));
        using var conmon = await listener.AcceptAsync().WaitAsync(Deadline);

        await stdin.WriteAsync("hello\n"u8.ToArray());
        ValueTask closing = stdin.CloseAsync();

        byte[] buffer = new byte[32 * 1024];
        Assert.Equal("hello\n", Encoding.ASCII.GetString(buffer, 0, await conmon.ReceiveAsync(buffer).WaitAsync(Deadline)));
        Assert.Equal(0, await conmon.ReceiveAsync(buffer).WaitAsync(Deadline));

        // After the end of input the container's output still goes back to the connection, as conmon sends it.
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(7, await conmon.SendAsync("\u0002output"u8.ToArray()).WaitAsync(Deadline));
        }

        await Task.Delay(50);
        Assert.False(closing.IsCompleted, "the connection was let go before conmon closed it");

        conmon.Close();
        await closing.AsTask().WaitAsync(Deadline);
    }

    [Fact]
    public async Task ClosingEndsWhenTheAttachIsOverEvenIfConmonHoldsOn()
    {
        using var listener = Listen();
        await using var stdin = await ConmonAttachSocket.ConnectAsync(new ContainerPaths(_bundle));
        using var conmon = await listener.AcceptAsync().WaitAsync(Deadline);
        using var attachOver = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stdin.CloseAsync(attachOver.Token).AsTask().WaitAsync(Deadline));
        Assert.Equal(0, await conmon.ReceiveAsync(new byte[16]).WaitAsync(Deadline));
    }

    public void Dispose() => Directory.Delete(_bundle, recursive: true);

    private Socket Listen()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(new ContainerPaths(_bundle).AttachSocket));
        listener.Listen(1);
        return listener;
    }
}
