namespace Berth.Cli.Commands.Stack;

/// <summary>
/// A service's reference to a secret or config, as docker's converter makes it: the object's name, and the file in the task
/// (target defaulting to the key, uid and gid to "0", mode to 0444). The object's id is looked up at deploy.
/// </summary>
public sealed record StackFileReference(string ObjectName, string FileName, string Uid, string Gid, uint Mode);
