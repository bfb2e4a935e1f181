namespace Berth.Cli.Commands.Stack;

/// <summary>What marks an object as a stack's (docker/cli <c>cli/compose/convert</c>): every object carries the namespace label.</summary>
public static class StackLabels
{
    public const string Namespace = "com.docker.stack.namespace";

    /// <summary>On a service: the image as the file wrote it (before <c>--resolve-image</c> pinned a digest).</summary>
    public const string Image = "com.docker.stack.image";

    /// <summary>The <c>label=</c> filter of one stack's objects.</summary>
    public static string Filter(string stack) => $"label={Namespace}={stack}";

    /// <summary><c>NAME_key</c>.</summary>
    public static string Scope(string stack, string name) => stack + "_" + name;
}
