using Berth.Cli.Parsing;
using Berth.Compose.Model;
using ExecCommand = Berth.Cli.Commands.Containers.ExecCommand;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose exec SERVICE COMMAND…</c>: <c>berth exec</c> in the service's container number <c>--index</c> (1),
/// with stdin, and a Tty when stdin is a terminal and <c>-T</c> is not given (compose's defaults).
/// </summary>
public sealed class ComposeExecCommand(IComposeProjectSource source) : ComposeCommand(source)
{
    public override string Name => "exec";

    public override string Arguments => "[OPTIONS] SERVICE COMMAND [ARGS...]";

    public override string Description => "Execute a command in a running container";

    protected override int MinArguments => 2;

    protected override int MaxArguments => int.MaxValue;

    protected override bool InterspersedFlags => false;

    public override IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new("detach", 'd', null, "Detached mode: Run command in the background"),
        new("env", 'e', "stringArray", "Set environment variables"),
        new("index", null, "int", "Index of the container if service has multiple replicas (default 1)"),
        new("no-TTY", 'T', null, "Disable pseudo-TTY allocation. By default a TTY is allocated when stdin is a terminal"),
        new("privileged", null, null, "Give extended privileges to the process"),
        new("user", 'u', "string", "Run the command as this user"),
        new("workdir", 'w', "string", "Path to workdir directory for this command"),
    ];

    protected override async Task<int> RunAsync(CommandContext context, ComposeEngine engine, ComposeProject project, ParsedArgs args, CancellationToken cancellationToken)
    {
        var service = args.Positionals[0];
        ComposeEngine.CheckServices(project, [service]);
        var index = args.Last("index") is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw ArgParser.FlagError($"invalid argument \"{text}\" for \"--index\" flag: give a container number from 1", Path, Usage)
            : 1;
        var container = (await engine.ContainersAsync(project, [service], cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.Number == index && c.Running)
            ?? throw new StatusException(ExitCodes.Failure, $"service \"{service}\" is not running container #{index}");

        var detach = args.IsSet("detach");
        var exec = new List<string>();
        if (detach)
        {
            exec.Add("-d");
        }
        else
        {
            exec.Add("-i");
            if (!args.IsSet("no-TTY") && context.Console.Terminal.IsInputTerminal)
            {
                exec.Add("-t");
            }
        }

        foreach (var variable in args.All("env"))
        {
            exec.AddRange(["-e", variable]);
        }

        if (args.Last("user") is { } user)
        {
            exec.AddRange(["-u", user]);
        }

        if (args.Last("workdir") is { } workdir)
        {
            exec.AddRange(["-w", workdir]);
        }

        if (args.IsSet("privileged"))
        {
            exec.Add("--privileged");
        }

        exec.Add(container.Id);
        exec.AddRange(args.Positionals.Skip(1));
        return await new ExecCommand(Path).RunAsync(context, exec, cancellationToken).ConfigureAwait(false);
    }
}
