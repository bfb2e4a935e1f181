using System.Globalization;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Stack;

/// <summary>What <c>stack ls --format</c> sees (docker's <c>stackContext</c>): <c>.Name</c> and <c>.Services</c>, both strings.</summary>
public sealed class StackRow : StringFieldsRow
{
    public static readonly TableHeader Header = new(new Dictionary<string, string>(StringComparer.Ordinal) { ["Name"] = "NAME", ["Services"] = "SERVICES" });

    public StackRow(string name, int services)
        : base("*formatter.stackContext")
    {
        Fields["Name"] = name;
        Fields["Services"] = services.ToString(CultureInfo.InvariantCulture);
    }
}
