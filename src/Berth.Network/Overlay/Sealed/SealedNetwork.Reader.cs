using Berth.Core.Errors;

namespace Berth.Network.Overlay.Sealed;

/// <summary>The send half: frames from the TAP's queues, sealed to the node of their destination (broadcasts to every member).</summary>
internal sealed partial class SealedNetwork
{
    /// <summary>An Ethernet header: destination 6, source 6, type 2.</summary>
    private const int EthernetHeader = 14;

    private void ReadLoop(Linux.Links.TapQueue queue, int lane)
    {
        var token = _stopping.Token;
        var frame = new byte[Linux.Links.TapQueue.MaxFrameBytes];
        var sender = Listener.NewSender(lane);
        try
        {
            while (!token.IsCancellationRequested)
            {
                int length = queue.Read(frame, token);
                if (length < SealedHeader.VnetHeaderSize + EthernetHeader)
                {
                    continue;
                }

                Forward(frame.AsSpan(0, length), sender);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // closing
        }
        catch (ObjectDisposedException) when (token.IsCancellationRequested)
        {
            // closing
        }
        catch (Exception e) when (e is BerthException or IOException or InvalidOperationException)
        {
            SealedLog.LoopFailed(Listener.Logger, $"send {lane} of network {Network.Short}", e.Message);
        }
        finally
        {
            sender.Dispose();
        }
    }

    private void Forward(ReadOnlySpan<byte> frame, SealedSender sender)
    {
        var peers = _peers;
        var destination = frame.Slice(SealedHeader.VnetHeaderSize, 6);
        if ((destination[0] & 1) != 0)
        {
            // Broadcast or multicast (ARP, ND): to every node with endpoints on the network.
            foreach (var node in peers.Nodes)
            {
                Send(sender, frame, node);
            }

            return;
        }

        if (peers.Remotes.TryGetValue(SealedPeers.MacKey(destination), out var vtep))
        {
            Send(sender, frame, vtep);
        }
        else
        {
            Interlocked.Increment(ref Counters.DroppedNoPeer);
        }
    }

    /// <summary>A send the socket refuses loses that frame, counted, never the loop (sockets count their own drops of full buffers).</summary>
    private void Send(SealedSender sender, ReadOnlySpan<byte> frame, SealedVtep node)
    {
        bool sent;
        try
        {
            sent = sender.Send(frame, Vni, node);
        }
        catch (BerthException)
        {
            Interlocked.Increment(ref Counters.DroppedKernel);
            return;
        }

        Count(sent);
    }

    private void Count(bool sent)
    {
        // Without a key to seal with the frame is dropped, never sent otherwise.
        Interlocked.Increment(ref sent ? ref Counters.Sent : ref Counters.DroppedUnknownKey);
    }
}
