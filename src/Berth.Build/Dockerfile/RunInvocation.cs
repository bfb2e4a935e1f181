using System.Collections.Immutable;
using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// What a RUN step executes: its argv and, for a heredoc script with a <c>#!</c> line, that script, which the step's
/// container sees read-only as <see cref="ScriptDirectory"/>/NAME with mode 0755. Heredocs are shaped as BuildKit's
/// Dockerfile frontend shapes them (dockerfile2llb <c>dispatchRun</c>, Dockerfile 1.4+):
/// <list type="bullet">
/// <item>the command is one heredoc alone (<c>RUN &lt;&lt;EOF</c>): a body starting with <c>#!</c> is that file, run as
/// <c>SHELL /dev/pipes/EOF</c> so the kernel reads its interpreter from the shebang; any other body is the shell's script,
/// <c>SHELL body</c>. Either way <c>&lt;&lt;-</c> strips the body's leading tabs and the delimiter's quotes change
/// nothing (BuildKit ignores them: the shell expands at run time);</item>
/// <item>anything more (<c>RUN cat &lt;&lt;EOF &gt; /f</c>, <c>RUN python3 &lt;&lt;EOF</c>, several heredocs): the command
/// with every body and delimiter after it, one script handed to the SHELL, which then handles the heredocs itself —
/// quoting, expansion and <c>&lt;&lt;-</c> as sh does.</item>
/// </list>
/// </summary>
public sealed record RunInvocation(ImmutableArray<string> Arguments, Heredoc? Script)
{
    /// <summary>Where BuildKit mounts a RUN's shebang heredoc (convert.go: <c>destPath := "/dev/pipes/"</c>).</summary>
    public const string ScriptDirectory = "/dev/pipes";

    private const string Shebang = "#!";

    /// <summary>
    /// <paramref name="run"/> under <paramref name="shell"/> (the stage's SHELL): the exec form as written, the shell form
    /// prefixed with it, heredocs as the type's summary says.
    /// </summary>
    public static RunInvocation Of(RunInstruction run, IReadOnlyList<string> shell)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Heredocs.IsDefaultOrEmpty || !run.Command.IsShellForm || run.Command.Arguments.Length != 1)
        {
            return new RunInvocation(run.Command.Resolve(shell), null);
        }

        string command = run.Command.Arguments[0];
        if (HeredocScanner.TryParseHeader(command) is not null)
        {
            var heredoc = run.Heredocs[0];
            string body = heredoc.Text;
            if (body.StartsWith(Shebang, StringComparison.Ordinal))
            {
                return new RunInvocation([.. shell, ScriptDirectory + "/" + heredoc.Name], heredoc with { Content = body, Chomp = false });
            }

            return new RunInvocation([.. shell, body], null);
        }

        var script = new StringBuilder(command);
        foreach (var heredoc in run.Heredocs)
        {
            script.Append('\n').Append(heredoc.Content).Append(heredoc.Name);
        }

        return new RunInvocation([.. shell, script.ToString()], null);
    }
}
