namespace Berth.Api.Contracts;

/// <summary><c>POST /auth</c>'s answer to a login the registry accepted (moby <c>AuthenticateOKBody</c>).</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "";

    /// <summary>An OAuth identity token to keep instead of the password; Berth never gets one (empty).</summary>
    public string IdentityToken { get; set; } = "";
}
