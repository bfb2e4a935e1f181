namespace Berth.Api.Contracts;

/// <summary>Reply of <c>GET /distribution/{name}/json</c>: what the registry says the name points at.</summary>
public sealed class DistributionInspect
{
    public DistributionDescriptor Descriptor { get; set; } = new();

    public List<DistributionPlatform> Platforms { get; set; } = [];
}
