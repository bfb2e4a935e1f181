using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's <c>--security-opt</c> values Berth acts on: <c>seccomp=unconfined</c> (no filter) and
/// <c>no-new-privileges[=true|false]</c>; <c>apparmor=</c> and <c>label=</c> are accepted and have no
/// effect (this host runs neither AppArmor nor SELinux for containers). Docker accepts <c>:</c> as well as
/// <c>=</c> between key and value.
/// </summary>
public sealed record SecurityOptions(bool Seccomp, bool NoNewPrivileges)
{
    public static SecurityOptions Parse(ImmutableArray<string> options)
    {
        bool seccomp = true;
        bool noNewPrivileges = false;
        var problems = new List<string>();
        foreach (string option in options)
        {
            int separator = option.IndexOfAny(['=', ':']);
            string key = separator < 0 ? option : option[..separator];
            string? value = separator < 0 ? null : option[(separator + 1)..];
            switch (key)
            {
                case "seccomp" when value == "unconfined":
                    seccomp = false;
                    break;
                case "seccomp":
                    problems.Add($"seccomp profile \"{Shorten(value)}\": only seccomp=unconfined is supported; leave the option out for Berth's default filter");
                    break;
                case "no-new-privileges" when value is null or "true":
                    noNewPrivileges = true;
                    break;
                case "no-new-privileges" when value == "false":
                    noNewPrivileges = false;
                    break;
                case "apparmor" or "label" when !string.IsNullOrEmpty(value):
                    break;
                default:
                    problems.Add($"invalid --security-opt \"{Shorten(option)}\"; use seccomp=unconfined, no-new-privileges, apparmor=… or label=…");
                    break;
            }
        }

        return problems.Count == 0 ? new SecurityOptions(seccomp, noNewPrivileges) : throw new BerthException(ErrorKind.InvalidArgument, string.Join("; ", problems));
    }

    private static string Shorten(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text ?? "";
}
