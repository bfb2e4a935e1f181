namespace Berth.Core.Errors;

/// <summary>
/// What kind of failure an error is. One place (the API layer) maps kinds to HTTP status codes;
/// code never branches on message text.
/// </summary>
public enum ErrorKind
{
    /// <summary>Something unexpected; a bug or an unclassified kernel failure.</summary>
    Internal,

    /// <summary>The object named does not exist.</summary>
    NotFound,

    /// <summary>The request itself is malformed or out of range.</summary>
    InvalidArgument,

    /// <summary>The request collides with existing state (name taken, address in use, busy).</summary>
    Conflict,

    /// <summary>The request is understood but not allowed.</summary>
    Forbidden,

    /// <summary>A dependency (kernel feature, service) is missing or not reachable.</summary>
    Unavailable,

    /// <summary>This machine (its kernel, its build) cannot do what was asked.</summary>
    NotSupported,

    /// <summary>Credentials were missing or refused (a registry login).</summary>
    Unauthorized,
}
