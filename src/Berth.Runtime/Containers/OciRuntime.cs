namespace Berth.Runtime.Containers;

/// <summary>
/// The OCI runtime one container runs with: its name (Docker's <c>--runtime</c>), its binary (runc's command line:
/// create, start, kill, state, delete, exec) and its state directory (<c>--root</c>), one per runtime because each
/// keeps its own layout there.
/// </summary>
public sealed record OciRuntime(string Name, string Path, string Root);
