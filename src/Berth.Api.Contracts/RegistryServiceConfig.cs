namespace Berth.Api.Contracts;

/// <summary><c>RegistryConfig</c> in /info: the registries berthd reaches over plain HTTP (<c>docker info</c>'s "Insecure Registries").</summary>
public sealed class RegistryServiceConfig
{
    public List<string> InsecureRegistryCIDRs { get; set; } = [];

    public Dictionary<string, IndexInfo> IndexConfigs { get; set; } = [];

    public List<string> Mirrors { get; set; } = [];
}

/// <summary>One registry of <see cref="RegistryServiceConfig.IndexConfigs"/>.</summary>
public sealed class IndexInfo
{
    public string Name { get; set; } = "";

    public List<string> Mirrors { get; set; } = [];

    public bool Secure { get; set; }

    public bool Official { get; set; }
}
