namespace Berth.Runtime.Images;

/// <summary>A user name and password (or identity token as password) for a registry.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}
