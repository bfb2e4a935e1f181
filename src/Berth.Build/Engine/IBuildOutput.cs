namespace Berth.Build.Engine;

/// <summary>Where a build's progress goes: text as the classic builder streams it, and the final image id (<c>aux</c>).</summary>
public interface IBuildOutput
{
    /// <summary>Step lines, the RUN output as the process wrote it, the closing "Successfully built" lines.</summary>
    ValueTask WriteAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>The built image's id (<c>{"aux":{"ID":"sha256:…"}}</c>), sent before "Successfully built".</summary>
    ValueTask ImageBuiltAsync(string imageId, CancellationToken cancellationToken = default);
}
