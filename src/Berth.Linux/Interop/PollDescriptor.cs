using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary><c>struct pollfd</c> (poll.h): a descriptor, the events asked for, the events that happened.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Fd;
    public short Events;
    public short ReturnedEvents;
}
