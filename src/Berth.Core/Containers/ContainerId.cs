using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Berth.Core.Errors;

namespace Berth.Core.Containers;

/// <summary>
/// A container's full id: 64 lowercase hex digits, as Docker's. Made only from a full id (<see cref="Parse"/>,
/// <see cref="New"/>), so inside the engine an id is never a name or a prefix: what a client typed becomes one through
/// the resolver (<see cref="Naming.ObjectResolver.ResolveContainer{T}"/>). A string only at the edges: JSON, store keys,
/// runc and conmon, the CLI.
/// </summary>
[JsonConverter(typeof(ContainerIdJsonConverter))]
public readonly record struct ContainerId
{
    public const int Length = 64;

    /// <summary>The 12-character form <c>docker ps</c> shows (and the default hostname).</summary>
    public const int ShortLength = 12;

    private readonly string? _value;

    private ContainerId(string value)
    {
        _value = value;
    }

    /// <summary>The 64 hex digits ("" for <c>default</c>, which is no container's id).</summary>
    public string Value => _value ?? "";

    /// <summary>The first 12 digits.</summary>
    public string Short => Value.Length >= ShortLength ? Value[..ShortLength] : Value;

    public bool IsEmpty => _value is null;

    public static ContainerId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2)));

    /// <summary>A full id; anything else (a name, a prefix, upper case) is InvalidArgument.</summary>
    public static ContainerId Parse(string? text) =>
        TryParse(text, out var id)
            ? id
            : throw new BerthException(ErrorKind.InvalidArgument, $"\"{text}\" is not a container id (64 lowercase hex digits); give the full id, or look it up by name or prefix first");

    public static bool TryParse([NotNullWhen(true)] string? text, out ContainerId id)
    {
        if (text is { Length: Length } && text.All(char.IsAsciiHexDigitLower))
        {
            id = new ContainerId(text);
            return true;
        }

        id = default;
        return false;
    }

    public override string ToString() => Value;
}
