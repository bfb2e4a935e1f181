using CsCheck;

namespace Berth.Fuzzing;

/// <summary>Names and ids for path segments and query values: some well formed (and the fuzzer's own), most hostile.</summary>
public static class FuzzNames
{
    /// <summary>Every object the fuzzer may make on purpose is named with this prefix.</summary>
    public const string Prefix = "fz";

    /// <summary>An image reference whose registry refuses at once (port 1 on loopback): no pull ever leaves the host.</summary>
    public const string UnreachableImage = "127.0.0.1:1/fz/none:1";

    /// <summary>Names longer than any Docker accepts (a container name is at most 253 bytes in the CLI's eyes).</summary>
    private const int OverlongNameLength = 300;

    public static readonly string[] Hostile =
    [
        "", ".", "..", "../x", "../../../../etc/passwd", "a/b", "/abs", "%2e%2e%2f", "x%00y", "x\u0000y", " ", "-rf", "--help",
        new string('n', OverlongNameLength), "é☃\U0001F600", "\u202Ename", "a:b", "a@sha256:zz", "UPPER", "*", "?", "{}", "[0]",
        "0", "-1", "18446744073709551616", "fz\r\nX-Injected: 1", "sha256:", "sha256:" + new string('0', 64), ";ls", "$(id)",
    ];

    /// <summary>A name of the fuzzer's own, well formed: the object may or may not exist.</summary>
    public static Gen<string> Own { get; } = Gen.Int[0, 4].Select(i => $"{Prefix}{i}");

    public static Gen<string> Any { get; } = Gen.Frequency(
        (3, Own),
        (5, Gen.Int[0, Hostile.Length - 1].Select(i => Hostile[i])),
        (1, Gen.String[Gen.Char, 0, 12]));
}
