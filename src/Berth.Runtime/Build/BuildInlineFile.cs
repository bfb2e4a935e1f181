using System.Text;
using Berth.Core.Errors;

namespace Berth.Runtime.Build;

/// <summary>
/// A file a Dockerfile writes inline (a heredoc): its name — one path element, as BuildKit makes it in an empty
/// directory — and its text, written as UTF-8. <c>COPY &lt;&lt;EOF</c> copies it like a context file (mode 0644);
/// a RUN's shebang heredoc is a script mounted for the step (<see cref="BuildRunSpec.Scripts"/>).
/// </summary>
public sealed record BuildInlineFile
{
    public BuildInlineFile(string name, string content)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"heredoc name \"{name}\" cannot name a file: use a plain name such as EOF (no \"/\", not \".\" or \"..\")");
        }

        Name = name;
        Content = content;
    }

    public string Name { get; }

    public string Content { get; }

    internal byte[] Bytes() => Encoding.UTF8.GetBytes(Content);
}
