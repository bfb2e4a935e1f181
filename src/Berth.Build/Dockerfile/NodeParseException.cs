namespace Berth.Build.Dockerfile;

/// <summary>
/// A line the Dockerfile parser itself cannot split into a node (BuildKit's <c>parser.Parse</c>: ENV's and LABEL's
/// <c>name=value</c> form), before instructions are checked: Docker 20.10 reports it for the whole file, without a line
/// (<c>failed to parse Dockerfile: ENV must have two arguments</c>). <see cref="DockerfileParser"/> adds the file name.
/// </summary>
internal sealed class NodeParseException(string message) : Exception(message);
