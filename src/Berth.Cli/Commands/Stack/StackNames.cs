namespace Berth.Cli.Commands.Stack;

/// <summary>docker's check of a stack name: anything but empty once quotes and white space are trimmed.</summary>
public static class StackNames
{
    public static string Validate(string name)
    {
        if (name.Trim().Trim('"', '\'').Trim().Length == 0)
        {
            throw new StatusException(ExitCodes.Failure, $"invalid stack name: {Formatting.GoText.Quote(name)}");
        }

        return name;
    }
}
