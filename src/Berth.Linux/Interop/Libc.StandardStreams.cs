
namespace Berth.Linux.Interop;

internal static partial class Libc
{
    internal const int StdinFileno = 0;
    internal const int StdoutFileno = 1;
    internal const int StderrFileno = 2;
}
