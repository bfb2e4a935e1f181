using System.Collections.Immutable;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Parses Dockerfile text with Docker's rules (Dockerfile reference; BuildKit's parser and instructions
/// packages). Pure: no file system, no network. Every malformed input is a <see cref="DockerfileException"/>.
/// </summary>
public static class DockerfileParser
{
    public const string DefaultFileName = "Dockerfile";

    public static ParsedDockerfile Parse(string text, string fileName = DefaultFileName)
    {
        if (text.Length == 0)
        {
            throw new DockerfileException($"the Dockerfile ({fileName}) cannot be empty");
        }
        var (lines, escape, syntax, warnings) = DockerfileScanner.Scan(text);
        if (lines.IsEmpty)
        {
            throw new DockerfileException($"failed to parse {fileName}: file with no instructions");
        }
        var globalArgs = ImmutableArray.CreateBuilder<ArgInstruction>();
        var stages = new List<(FromInstruction From, ImmutableArray<Instruction>.Builder Body)>();
        foreach (var line in lines)
        {
            Instruction instruction;
            try
            {
                instruction = InstructionFactory.Create(line, escape);
            }
            catch (NodeParseException e)
            {
                throw new DockerfileException($"failed to parse {fileName}: {e.Message}");
            }

            switch (instruction)
            {
                case FromInstruction from:
                    stages.Add((from, ImmutableArray.CreateBuilder<Instruction>()));
                    break;
                case ArgInstruction arg when stages.Count == 0:
                    globalArgs.Add(arg);
                    break;
                case var _ when stages.Count == 0:
                    // Docker 20.10 gives this one no line.
                    throw new DockerfileException("no build stage in current context");
                default:
                    stages[^1].Body.Add(instruction);
                    break;
            }
        }
        return new ParsedDockerfile(fileName, globalArgs.ToImmutable(),
            [.. stages.Select((s, i) => new Stage(i, s.From, s.Body.ToImmutable()))], escape, syntax, warnings);
    }

    /// <summary>
    /// Parses one ONBUILD trigger as stored in an image (<c>RUN make</c>), for a build FROM that image. Triggers
    /// are parsed with the default escape token, as Docker does.
    /// </summary>
    public static Instruction ParseTrigger(string expression)
    {
        var (lines, escape, _, _) = DockerfileScanner.Scan(expression);
        if (lines.Length != 1)
        {
            throw new DockerfileException("onbuild trigger should be a single expression");
        }
        Instruction instruction;
        try
        {
            instruction = InstructionFactory.Create(lines[0], escape);
        }
        catch (NodeParseException e)
        {
            throw new DockerfileException(e.Message);
        }

        if (instruction is FromInstruction or MaintainerInstruction or OnbuildInstruction)
        {
            throw new DockerfileException($"{instruction.Keyword} isn't allowed as an ONBUILD trigger", instruction.Lines);
        }
        return instruction;
    }
}
