using Berth.Cli.Templates.Nodes;

namespace Berth.Cli.Templates;

/// <summary>
/// A Go text/template subset, enough for docker's <c>--format</c>: fields and chains, <c>range</c>/<c>if</c>/<c>with</c>,
/// variables, pipelines and docker's template functions. See Templates/README.md for what differs from Go.
/// </summary>
public sealed class GoTemplate
{
    private readonly string source;
    private readonly ListNode root;

    private GoTemplate(string source, ListNode root)
    {
        this.source = source;
        this.root = root;
    }

    /// <exception cref="TemplateException">With <see cref="TemplateException.IsParseError"/> set.</exception>
    public static GoTemplate Parse(string source) => new(source, TemplateParser.Parse(source, TemplateFunctions.Exists));

    /// <exception cref="TemplateException">When a field is missing or a function fails.</exception>
    public string Execute(object? data) => new TemplateEvaluator(source, data, headerMode: false).Run(root);

    /// <summary>Runs the template over a table's header object, where docker's own functions return their argument.</summary>
    public string ExecuteHeader(ITemplateObject header) => new TemplateEvaluator(source, header, headerMode: true).Run(root);
}
