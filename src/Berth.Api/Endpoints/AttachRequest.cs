namespace Berth.Api.Endpoints;

/// <summary>The streams an attach asks for (<c>stdin</c>, <c>stdout</c>, <c>stderr</c>) and whether the output already logged comes first (<c>logs</c>).</summary>
internal sealed record AttachRequest(bool Stdin, bool Stdout, bool Stderr, bool Logs);
