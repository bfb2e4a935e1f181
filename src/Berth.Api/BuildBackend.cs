namespace Berth.Api;

/// <summary>What <c>POST /build</c> runs on: the classic builder and the directory build contexts are unpacked into.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed record BuildBackend(Build.Engine.ImageBuilder Builder, string ContextsDirectory);
