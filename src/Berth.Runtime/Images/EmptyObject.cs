namespace Berth.Runtime.Images;

/// <summary>The <c>{}</c> values of Docker's set-like maps (<c>ExposedPorts</c>, <c>Volumes</c>).</summary>
public sealed record EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}
