using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary><c>ADD [--chown] [--chmod] [--link] [--checksum] [--keep-git-dir] src… dest</c>.</summary>
public sealed record AddInstruction(SourceRange Lines, string Code, ImmutableArray<string> Sources, ImmutableArray<Heredoc> Contents, string Destination, string? Chown, string? Chmod, bool Link, string? Checksum, bool? KeepGitDir) : Instruction(Lines, Code)
{
    public override string Keyword => "ADD";
}
