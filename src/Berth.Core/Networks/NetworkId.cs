using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Core.Networks;

/// <summary>A network's id: 64 lowercase hex digits, as Docker's.</summary>
public readonly record struct NetworkId
{
    public const int Length = 64;
    public const int ShortLength = 12;

    public NetworkId(string value)
    {
        if (value is null || value.Length != Length || !value.All(char.IsAsciiHexDigitLower))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"\"{value}\" is not a network id (64 lowercase hex digits)");
        }

        Value = value;
    }

    public string Value { get; }

    /// <summary>The 12-character form shown by <c>network ls</c>.</summary>
    public string Short => Value[..ShortLength];

    public static NetworkId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2)));

    public override string ToString() => Value;
}
