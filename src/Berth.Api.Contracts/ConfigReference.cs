namespace Berth.Api.Contracts;

/// <summary><c>ConfigFrom</c>: the network whose configuration another one takes.</summary>
public sealed class ConfigReference
{
    public string Network { get; set; } = "";
}
