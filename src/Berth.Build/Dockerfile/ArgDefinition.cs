namespace Berth.Build.Dockerfile;

/// <summary>One name of an ARG instruction, with its default when one was written (<c>ARG a=1 b</c>).</summary>
public readonly record struct ArgDefinition(string Name, string? Default)
{
    public override string ToString() => Default is null ? Name : Name + "=" + Default;
}
