using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// nft refused a command. <see cref="NftError"/> is nft's own buffered error output (message, command line, caret
/// line). A failed batch changed nothing: it was one transaction.
/// </summary>
public sealed class NftablesException : BerthException
{
    public NftablesException(ErrorKind kind, string message, string nftError)
        : base(kind, message)
    {
        NftError = nftError;
    }

    /// <summary>nft's full error text, as it would print it.</summary>
    public string NftError { get; }

    /// <summary>
    /// The kind of an nft failure. libnftables reports no errno, only text, so this is the one place that reads it:
    /// the kernel's strerror() after "Could not process rule:" first, then nft's parser and evaluator wording.
    /// </summary>
    public static ErrorKind KindOf(string nftError)
    {
        ArgumentNullException.ThrowIfNull(nftError);
        (string Text, ErrorKind Kind)[] errnoTexts =
        [
            ("No such file or directory", ErrorKind.NotFound),
            ("File exists", ErrorKind.Conflict),
            ("Device or resource busy", ErrorKind.Conflict),
            ("Operation not permitted", ErrorKind.Forbidden),
            ("Permission denied", ErrorKind.Forbidden),
            ("Operation not supported", ErrorKind.NotSupported),
            ("Protocol not supported", ErrorKind.NotSupported),
            ("Cannot allocate memory", ErrorKind.Unavailable),
            ("No buffer space available", ErrorKind.Unavailable),
            ("Invalid argument", ErrorKind.InvalidArgument),
            ("Numerical result out of range", ErrorKind.InvalidArgument),
            ("Argument list too long", ErrorKind.InvalidArgument),
            ("Too many links", ErrorKind.InvalidArgument),
        ];
        foreach (var (text, kind) in errnoTexts)
        {
            if (nftError.Contains(text, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        string[] parserTexts =
        [
            "syntax error", "unexpected", "No symbol type information", "datatype mismatch", "Could not parse",
            "Invalid", "mismatch", "not allowed", "only valid", "Use concatenations", "does not support", "too long",
            "Conflicting", "expected",
        ];
        return parserTexts.Any(t => nftError.Contains(t, StringComparison.OrdinalIgnoreCase)) ? ErrorKind.InvalidArgument : ErrorKind.Internal;
    }
}
