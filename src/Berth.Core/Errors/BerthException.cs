namespace Berth.Core.Errors;

/// <summary>
/// An error a user may see: its <see cref="Kind"/> decides how it is reported, its message says what
/// was wrong and, where possible, what to do.
/// </summary>
public class BerthException : Exception
{
    public BerthException(ErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public BerthException(ErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }
}
