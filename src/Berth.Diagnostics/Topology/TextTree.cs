using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>A line of a tree and the lines under it, drawn with box characters as the guide's diagram is.</summary>
internal sealed class TextTree(string text)
{
    private const string Branch = "├─ ";
    private const string LastBranch = "└─ ";
    private const string Through = "│  ";
    private const string Blank = "   ";

    public string Text { get; } = text;

    public List<TextTree> Children { get; } = [];

    public TextTree Add(string text)
    {
        var child = new TextTree(text);
        Children.Add(child);
        return child;
    }

    public void Write(StringBuilder output)
    {
        output.Append(Text).Append('\n');
        WriteChildren(output, "");
    }

    private void WriteChildren(StringBuilder output, string indent)
    {
        for (int i = 0; i < Children.Count; i++)
        {
            bool last = i == Children.Count - 1;
            output.Append(indent).Append(last ? LastBranch : Branch).Append(Children[i].Text).Append('\n');
            Children[i].WriteChildren(output, indent + (last ? Blank : Through));
        }
    }
}
