namespace Berth.Fuzzing;

/// <summary>The shape a route's valid body has; the fuzzer starts from it and breaks it.</summary>
public enum FuzzBody
{
    /// <summary>No body expected: the fuzzer still sends junk sometimes.</summary>
    None,
    ContainerCreate,
    ContainerUpdate,
    NetworkCreate,
    NetworkConnect,
    VolumeCreate,
    ExecCreate,
    ExecStart,
    ServiceSpec,
    SecretSpec,
    SwarmSpec,
    NodeSpec,
    Commit,
    /// <summary>Docker's AuthConfig for <c>POST /auth</c>, naming a registry on loopback that refuses at once.</summary>
    Login,
    /// <summary>A tar archive: <c>PUT /containers/{id}/archive</c>.</summary>
    ArchiveTar,
    /// <summary>An image tarball: <c>POST /images/load</c>, <c>POST /images/create?fromSrc=-</c>.</summary>
    ImageTar,
    /// <summary>A build context with a Dockerfile: <c>POST /build</c>.</summary>
    BuildTar,
}
