using Berth.Core.Errors;

namespace Berth.Api.Endpoints;

/// <summary>
/// The key sequence that detaches a client from a container's terminal (<c>--detach-keys</c>, the <c>detachKeys</c>
/// of attach; Docker's default <c>ctrl-p,ctrl-q</c>): comma-separated keys, each one character or <c>ctrl-</c> and one
/// of <c>a</c>–<c>z</c>, <c>@</c>, <c>[</c>, <c>\</c>, <c>]</c>, <c>^</c>, <c>_</c> (moby's <c>term.ToBytes</c>).
/// </summary>
internal static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    private const string CtrlPrefix = "ctrl-";

    /// <summary>The bytes <paramref name="keys"/> type; empty is the default; a bad sequence is moby's 400.</summary>
    public static byte[] Parse(string? keys)
    {
        string text = string.IsNullOrEmpty(keys) ? Default : keys;
        var bytes = new List<byte>();
        foreach (string key in text.Split(','))
        {
            string k = key.Trim();
            if (k.Length == 1 && k[0] < 0x80)
            {
                bytes.Add((byte)k[0]);
            }
            else if (k.Length == CtrlPrefix.Length + 1 && k.StartsWith(CtrlPrefix, StringComparison.OrdinalIgnoreCase) && Control(char.ToLowerInvariant(k[^1])) is { } control)
            {
                bytes.Add(control);
            }
            else
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"Invalid detach keys ({keys}) provided: give keys such as ctrl-p,ctrl-q (a letter, or ctrl- and a letter or one of @[\\]^_)");
            }
        }

        return [.. bytes];
    }

    private static byte? Control(char c) => c switch
    {
        >= 'a' and <= 'z' => (byte)(c - 'a' + 1),
        '@' => 0,
        '[' => 27,
        '\\' => 28,
        ']' => 29,
        '^' => 30,
        '_' => 31,
        _ => null,
    };
}
