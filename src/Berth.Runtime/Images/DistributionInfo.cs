namespace Berth.Runtime.Images;

/// <summary>What a registry says a reference points at (<c>GET /distribution/{name}/json</c>): the descriptor and its platforms.</summary>
public sealed record DistributionInfo(OciDescriptor Descriptor, IReadOnlyList<OciPlatform> Platforms);
