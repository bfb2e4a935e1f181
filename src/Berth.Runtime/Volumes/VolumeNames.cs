using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Runtime.Volumes;

/// <summary>Docker's rules for volume names (moby <c>volume/local</c>, <c>daemon/names</c>).</summary>
public static class VolumeNames
{
    public const string LocalDriver = "local";

    /// <summary>The label Docker puts on volumes made without a name; <c>volume prune</c> without <c>all</c> removes only these.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    /// <summary>moby's <c>RestrictedNameChars</c>.</summary>
    public const string AllowedCharacters = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    /// <summary>
    /// A volume's directory is named after it, so a name longer than the kernel's <c>NAME_MAX</c> (255 bytes, linux
    /// <c>include/uapi/linux/limits.h</c>) could never be made; it is refused as invalid rather than failing in mkdir.
    /// </summary>
    public const int MaxLength = 255;

    /// <summary>How much of an over-long name a message repeats.</summary>
    private const int ShownLength = 64;

    /// <summary>64 hexadecimal characters, as Docker names anonymous volumes.</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Refuses names the local driver refuses, with Docker's messages (prefixed by the operation).</summary>
    public static void Validate(string name)
    {
        if (name.Length == 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"create {name}: volume name is too short, names should be at least two alphanumeric characters");
        }

        if (name.Length > MaxLength)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"create {name[..ShownLength]}…: volume name is {name.Length} characters long, longer than the {MaxLength} a local volume's directory can have; choose a shorter name");
        }

        if (!IsValid(name))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"{AllowedCharacters}\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    public static bool IsValid(string name) =>
        name.Length >= 2 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
