namespace Berth.Cli.Templates;

public enum TemplateTokenKind
{
    Dot,
    Field,
    Variable,
    Identifier,
    String,
    Number,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
}
