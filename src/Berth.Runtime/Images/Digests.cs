using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>sha256 digests as <c>sha256:hex</c> strings.</summary>
public static partial class Digests
{
    public const string Sha256Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> data) => Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(data));

    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return Sha256Prefix + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>The hex part of a <c>sha256:hex</c> digest; anything else is InvalidArgument.</summary>
    public static string Hex(string digest)
    {
        if (!digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) || !HexRegex().IsMatch(digest.AsSpan(Sha256Prefix.Length)))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"digest \"{digest}\" is not sha256:<64 hex digits>; only sha256 content is supported");
        }

        return digest[Sha256Prefix.Length..];
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex HexRegex();
}
