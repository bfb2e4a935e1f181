namespace Berth.Build.Dockerfile;

/// <summary>
/// A here-document attached to RUN, COPY or ADD (<c>&lt;&lt;EOF</c> … <c>EOF</c>). <see cref="Content"/> is the body
/// as written, line endings kept; <see cref="Expand"/> is false when any part of the delimiter was quoted
/// (<c>&lt;&lt;"EOF"</c>), and then the body is taken literally.
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp, int FileDescriptor)
{
    /// <summary>The body with leading tabs removed from every line when the delimiter was <c>&lt;&lt;-</c>.</summary>
    public string Text => Chomp ? HeredocScanner.StripLeadingTabs(Content) : Content;
}
