using System.Runtime.InteropServices;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>Chooses this machine's entry (linux and the process architecture, amd64 here) from an index or manifest list.</summary>
public static class ManifestSelector
{
    public static string CurrentArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The image manifest for <paramref name="os"/>/<paramref name="architecture"/>; attestation
    /// manifests (platform unknown/unknown) never match. None → NotFound naming what is offered.
    /// </summary>
    public static OciDescriptor Select(OciIndex index, string what, string os = "linux", string? architecture = null)
    {
        architecture ??= CurrentArchitecture;
        var match = index.Manifests.FirstOrDefault(m =>
            m.Platform is { } p && p.Os == os && p.Architecture == architecture && MediaTypes.IsManifest(m.MediaType ?? MediaTypes.OciManifest));
        if (match is not null)
        {
            return match;
        }

        string offered = string.Join(", ", index.Manifests.Where(m => m.Platform is not null).Select(m => $"{m.Platform!.Os}/{m.Platform.Architecture}"));
        throw new BerthException(ErrorKind.NotFound,
            $"no matching manifest for {os}/{architecture} in the manifest list entries of {what} (offered: {(offered.Length == 0 ? "none" : offered)})");
    }
}
