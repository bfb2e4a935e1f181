using System.Globalization;
using Berth.Cli.Parsing;
using Berth.Compose.Model;
using Berth.Core.Errors;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// A <c>berth compose</c> subcommand: loads the project from its <see cref="IComposeProjectSource"/>, then acts on it
/// through a <see cref="ComposeEngine"/>. A project the engine refuses prints its problems and exits 1.
/// </summary>
public abstract class ComposeCommand(IComposeProjectSource source) : CliCommand
{
    public const string PathPrefix = "berth compose ";

    /// <summary>The subcommand's name: <c>up</c>, <c>down</c>…</summary>
    public abstract string Name { get; }

    public override string Path => PathPrefix + Name;

    protected sealed override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        try
        {
            var project = await source.LoadAsync(context, cancellationToken).ConfigureAwait(false);
            return await RunAsync(context, new ComposeEngine(context), project, args, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw new StatusException(ExitCodes.Failure, e.Message);
        }
    }

    protected abstract Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken);

    /// <summary><c>-t/--timeout</c> as whole seconds, or null when not given.</summary>
    protected int? Timeout(ParsedArgs args)
    {
        if (args.Last("timeout") is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw ArgParser.FlagError($"invalid argument \"{text}\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax", Path, Usage);
    }
}
