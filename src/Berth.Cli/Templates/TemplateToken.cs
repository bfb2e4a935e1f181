namespace Berth.Cli.Templates;

/// <summary>A token inside <c>{{ }}</c>. <see cref="Spaced"/> is true when whitespace precedes it (so <c>$x .A</c> is not <c>$x.A</c>).</summary>
public readonly record struct TemplateToken(TemplateTokenKind Kind, string Text, int Position, bool Spaced);
