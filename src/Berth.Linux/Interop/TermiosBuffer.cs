using System.Runtime.CompilerServices;

namespace Berth.Linux.Interop;

/// <summary>
/// <c>struct termios</c> kept opaque: tcgetattr fills it, cfmakeraw changes it, tcsetattr writes it back, so its layout never
/// matters here. 64 bytes covers glibc's 60 on every Linux architecture .NET runs on.
/// </summary>
[InlineArray(Size)]
internal struct TermiosBuffer
{
    public const int Size = 64;

    private byte element;
}
