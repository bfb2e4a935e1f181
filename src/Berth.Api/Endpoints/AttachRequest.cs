namespace Berth.Api.Endpoints;

/// <summary>
/// The streams an attach asks for (<c>stdin</c>, <c>stdout</c>, <c>stderr</c>), whether the output already logged comes
/// first (<c>logs</c>), and the keys that detach from a terminal (<c>detachKeys</c>; empty: Docker's default).
/// </summary>
internal sealed record AttachRequest(bool Stdin, bool Stdout, bool Stderr, bool Logs, string DetachKeys = "");
